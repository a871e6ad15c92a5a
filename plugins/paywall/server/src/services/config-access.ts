import type { Core } from '@strapi/strapi';
import type { AccessConfig } from '../domain/types';
import { paywallConfig } from '../config';

/** The decision's configuration, read from the plugin config (no state of its own). */
export function accessConfig(strapi: Core.Strapi): AccessConfig {
  return { pastDueGraceMs: Math.max(0, paywallConfig(strapi, 'pastDueGraceHours')) * 3600_000 };
}
