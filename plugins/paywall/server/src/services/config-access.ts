import type { Core } from '@strapi/strapi';
import type { AccessConfig } from '../domain/types';
import { paywallConfig } from '../config';

/**
 * The paywall's "now": the system clock, unless a test fixed it (`testNow`, never in production).
 * Every read path asks this, so that a suite can move the clock for all of them at once.
 */
export function paywallNow(strapi: Core.Strapi): Date {
  const fixed = paywallConfig(strapi, 'testNow');
  if (!fixed || process.env.NODE_ENV === 'production') return new Date();
  const t = new Date(fixed);
  return Number.isNaN(t.getTime()) ? new Date() : t;
}

/** The decision's configuration, read from the plugin config (no state of its own). */
export function accessConfig(strapi: Core.Strapi): AccessConfig {
  return { pastDueGraceMs: Math.max(0, paywallConfig(strapi, 'pastDueGraceHours')) * 3600_000 };
}
