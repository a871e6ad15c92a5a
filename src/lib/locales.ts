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

/** Strapi's default admin roles besides the super admin (created on a fresh database). */
const DEFAULT_ADMIN_ROLES = ['strapi-editor', 'strapi-author'];

interface AdminPermissionRow {
  id: number;
  action: string;
  subject: string | null;
  properties: Record<string, unknown> | null;
}

/**
 * Strapi creates its default Editor and Author roles with Content Manager permissions that name no
 * locales, and i18n then grants those roles no locale at all: an editor opens no course and saving
 * one answers 403 (strapi/strapi#22781). Where a default role's permission on a localized type names
 * no locales — never edited in Settings → Roles — it gets every locale the platform has; a role an
 * admin edited keeps what they chose (an empty list included). Idempotent: a later boot finds none.
 */
export async function grantLocalesToDefaultAdminRoles(strapi: Core.Strapi): Promise<number> {
  const roles = (await strapi.db.query('admin::role').findMany({ where: { code: { $in: DEFAULT_ADMIN_ROLES } }, select: ['id'] })) as Array<{ id: number }>;
  if (roles.length === 0) return 0;
  const permissions = (await strapi.db.query('admin::permission').findMany({
    where: { role: { id: { $in: roles.map((r) => r.id) } } },
    select: ['id', 'action', 'subject', 'properties'],
  })) as AdminPermissionRow[];
  const localized = (uid: string) => (strapi.getModel(uid as never) as { pluginOptions?: { i18n?: { localized?: boolean } } } | undefined)?.pluginOptions?.i18n?.localized === true;
  const { actionProvider } = strapi.service('admin::permission') as unknown as { actionProvider: { appliesToProperty(property: string, action: string, subject: string): Promise<boolean> } };
  const missing: AdminPermissionRow[] = [];
  for (const p of permissions) {
    if (!p.subject || !localized(p.subject) || (p.properties && 'locales' in p.properties)) continue;
    if (await actionProvider.appliesToProperty('locales', p.action, p.subject)) missing.push(p);
  }
  if (missing.length === 0) return 0;
  const locales = ((await (strapi.plugin('i18n').service('locales') as LocalesService).find()) as Array<{ code: string }>).map((l) => l.code);
  await strapi.db.transaction(async () => {
    for (const p of missing) await strapi.db.query('admin::permission').update({ where: { id: p.id }, data: { properties: { ...(p.properties ?? {}), locales } } });
  });
  return missing.length;
}
