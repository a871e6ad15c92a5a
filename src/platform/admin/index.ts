/**
 * What the plugins' admin panels share, imported as `@kp/platform/admin`: browser-safe (no Node
 * module, no React), compiled with the server too but used by `strapi build`. The React part (a page
 * that waits for the user's permissions) is `@kp/platform/admin/auth-ready`.
 */

/** A plugin's translation files, by locale, loaded on demand. */
export type TranslationLoaders = Record<string, () => Promise<{ default: Record<string, string> }>>;

/**
 * The `registerTrads` of a plugin's admin entry: loads each locale's file and prefixes every key
 * with the plugin id (`checkout.plugin.name`); an unknown locale gets no keys (the default messages show).
 */
export function translationsRegistrar(pluginId: string, loaders: TranslationLoaders) {
  return async ({ locales }: { locales: string[] }): Promise<Array<{ locale: string; data: Record<string, string> }>> =>
    Promise.all(
      locales.map(async (locale) => {
        const load = loaders[locale];
        if (!load) return { locale, data: {} };
        const { default: data } = await load();
        return { locale, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [`${pluginId}.${k}`, v])) };
      })
    );
}

/** The message of an admin API error (the platform's error shape, or the fetch error), for a notification. */
export function errorMessage(err: unknown, fallback: string): string {
  const e = err as { response?: { data?: { error?: { message?: string } } }; message?: string } | null;
  return e?.response?.data?.error?.message ?? e?.message ?? fallback;
}
