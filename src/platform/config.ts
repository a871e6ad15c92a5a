/** Plugin configuration: one schema for what every plugin declares, one way to validate and read it. */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { describeIssues } from './http';

/** The users-permissions roles the platform governs. */
export const PLATFORM_ROLES = ['public', 'authenticated', 'instructor'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** The content-API actions a plugin's routes need, per role; the app's bootstrap grants them. */
export type RolePermissions = Record<PlatformRole, string[]>;

/** A users-permissions action: `plugin::<plugin>.<controller>.<action>` or `api::<api>.<controller>.<action>`. */
export const actionSchema = z
  .string()
  .regex(/^(plugin|api)::[a-z0-9-]+\.[A-Za-z0-9-]+\.[A-Za-z0-9]+$/, 'must be an action such as plugin::name.controller.action');

export const rolePermissionsSchema = z.object({
  public: z.array(actionSchema),
  authenticated: z.array(actionSchema),
  instructor: z.array(actionSchema),
});

/**
 * A Strapi plugin config `validator` from a zod schema: the app refuses to boot on a bad setting,
 * with every problem named (`Invalid config of the review plugin: checks.minChapters: …`).
 */
export function configValidator(plugin: string, schema: z.ZodType): (config: unknown) => void {
  return (config: unknown) => {
    const parsed = schema.safeParse(config);
    if (!parsed.success) throw new Error(`Invalid config of the ${plugin} plugin: ${describeIssues(parsed.error, 'config')}`);
  };
}

/** A typed reader of one plugin's configuration: `const config = configReader<PluginConfig>('review')`. */
export function configReader<C extends object>(plugin: string) {
  return <K extends keyof C & string>(strapi: Core.Strapi, key: K): C[K] => strapi.plugin(plugin).config(key) as C[K];
}

/** A number from the environment, or `fallback` when unset or empty (validation happens in the plugin's schema). */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === '' ? fallback : Number(raw);
}

/** A boolean from the environment (`true`/`1`/`yes`), or `fallback` when unset. */
export function envFlag(name: string, fallback = false): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return /^(true|1|yes|on)$/i.test(raw.trim());
}
