/** The language of a message: the recipient's preferred language when the platform writes in it, else the default. */

export const MESSAGE_LOCALES = ['en', 'zh-Hans'] as const;
export type MessageLocale = (typeof MESSAGE_LOCALES)[number];

/** Maps what a profile or a browser says (`zh`, `zh-CN`, `zh-Hans-CN`, `en-GB`) to a message locale. */
export function messageLocale(preferred: string | null | undefined, fallback: MessageLocale = 'en'): MessageLocale {
  if (!preferred) return fallback;
  const p = preferred.trim().toLowerCase();
  if (p === 'zh' || p.startsWith('zh-hans') || p === 'zh-cn' || p === 'zh-sg') return 'zh-Hans';
  if (p === 'en' || p.startsWith('en-')) return 'en';
  return fallback;
}

export function isMessageLocale(value: string): value is MessageLocale {
  return (MESSAGE_LOCALES as readonly string[]).includes(value);
}
