import type { Core } from '@strapi/strapi';

/** The locales the platform serves; the first is the default. */
export const LOCALES = [
  { code: 'en', name: 'English (en)' },
  { code: 'zh-Hans', name: 'Chinese (Simplified) (zh-Hans)' },
] as const;

export const DEFAULT_LOCALE = LOCALES[0].code;

interface LocalesService {
  find(params?: unknown): Promise<Array<{ code: string }>>;
  create(locale: { code: string; name: string }): Promise<unknown>;
  getDefaultLocale(): Promise<string>;
  setDefaultLocale(params: { code: string }): Promise<void>;
}

/** Creates missing locales; sets the default only on a fresh install (an editor may change it). */
export async function ensureLocales(strapi: Core.Strapi): Promise<void> {
  const service = strapi.plugin('i18n').service('locales') as LocalesService;
  const existing = new Set((await service.find()).map((l) => l.code));
  const fresh = existing.size <= 1;
  for (const locale of LOCALES) {
    if (!existing.has(locale.code)) await service.create({ ...locale });
  }
  if (fresh && (await service.getDefaultLocale()) !== DEFAULT_LOCALE) {
    await service.setDefaultLocale({ code: DEFAULT_LOCALE });
  }
}
