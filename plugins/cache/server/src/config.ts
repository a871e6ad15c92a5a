import { z } from 'zod';
import { configValidator, envFlag, envNumber, rolePermissionsSchema, type RolePermissions } from '@kp/platform';

export interface PluginConfig {
  /** This plugin has no content-API routes. */
  rolePermissions: RolePermissions;
  /** Env CATALOGUE_CACHE (default true): anonymous catalogue reads are cached. */
  catalogueEnabled: boolean;
  /** Env CATALOGUE_CACHE_TTL_SECONDS (300): longest life of an entry (changes drop entries at once). */
  catalogueTtlSeconds: number;
  /** Env CATALOGUE_CACHE_MAX_BYTES (64 MiB): memory store bound (response bytes + keys). */
  catalogueMaxBytes: number;
  /** Env CATALOGUE_CACHE_MAX_ENTRY_BYTES (2 MiB): larger responses are not stored. */
  catalogueMaxEntryBytes: number;
  /** Env REDIS_URL: the catalogue cache lives in Redis, shared by every instance. Empty: memory. */
  redisUrl: string;
  /** Env CACHE_REDIS_PREFIX (`kp:cache:`): prefix of this app's Redis keys. */
  redisPrefix: string;
  /** Env PRINCIPAL_CACHE_TTL_SECONDS (30): how long an authenticated principal is kept per instance; 0: off. */
  principalTtlSeconds: number;
  /** Env PRINCIPAL_CACHE_MAX (10000): principals kept per instance. */
  principalMax: number;
}

const schema = z.object({
  rolePermissions: rolePermissionsSchema,
  catalogueEnabled: z.boolean(),
  catalogueTtlSeconds: z.number().int().min(1, 'CATALOGUE_CACHE_TTL_SECONDS must be at least 1 (set CATALOGUE_CACHE=false to turn the cache off)').max(86400),
  catalogueMaxBytes: z.number().int().min(1024, 'CATALOGUE_CACHE_MAX_BYTES must be at least 1024'),
  catalogueMaxEntryBytes: z.number().int().min(1, 'CATALOGUE_CACHE_MAX_ENTRY_BYTES must be positive'),
  redisUrl: z.string().refine((u) => u === '' || /^rediss?:\/\//.test(u), 'REDIS_URL must start with redis:// or rediss://'),
  redisPrefix: z.string().min(1, 'CACHE_REDIS_PREFIX must not be empty'),
  principalTtlSeconds: z.number().int().min(0, 'PRINCIPAL_CACHE_TTL_SECONDS must be 0 (off) or more').max(3600, 'PRINCIPAL_CACHE_TTL_SECONDS must be at most 3600'),
  principalMax: z.number().int().min(1, 'PRINCIPAL_CACHE_MAX must be at least 1'),
});

export default {
  default: (): PluginConfig => ({
    rolePermissions: { public: [], authenticated: [], instructor: [] },
    catalogueEnabled: envFlag('CATALOGUE_CACHE', true),
    catalogueTtlSeconds: envNumber('CATALOGUE_CACHE_TTL_SECONDS', 300),
    catalogueMaxBytes: envNumber('CATALOGUE_CACHE_MAX_BYTES', 64 * 1024 * 1024),
    catalogueMaxEntryBytes: envNumber('CATALOGUE_CACHE_MAX_ENTRY_BYTES', 2 * 1024 * 1024),
    redisUrl: process.env.REDIS_URL ?? '',
    redisPrefix: process.env.CACHE_REDIS_PREFIX || 'kp:cache:',
    principalTtlSeconds: envNumber('PRINCIPAL_CACHE_TTL_SECONDS', 30),
    principalMax: envNumber('PRINCIPAL_CACHE_MAX', 10000),
  }),
  validator: configValidator('cache', schema),
};
