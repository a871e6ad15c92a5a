import type { Core } from '@strapi/strapi';
import type { AccessConfig } from '../domain/types';

/** The decision's configuration, read from the plugin config (no state of its own). */
export function accessConfig(strapi: Core.Strapi): AccessConfig {
  const hours = Number(strapi.plugin('paywall').config('pastDueGraceHours') ?? 72);
  return { pastDueGraceMs: Math.max(0, hours) * 3600_000 };
}
