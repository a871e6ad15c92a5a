import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { configReader } from '@kp/platform';
import type services from './services';
import type { PluginConfig } from './config';

type Services = typeof services;
export type ServiceName = keyof Services;

/** Typed access to this plugin's services. */
export function getService<N extends ServiceName>(strapi: Core.Strapi, name: N): ReturnType<Services[N]> {
  return strapi.plugin('cache').service(name) as ReturnType<Services[N]>;
}

/** Typed access to this plugin's configuration. */
export const pluginConfig = configReader<PluginConfig>('cache');

const ids = new WeakMap<object, string>();

/** This instance's id in broadcasts (a receiver skips what it sent itself). */
export function instanceId(strapi: Core.Strapi): string {
  let id = ids.get(strapi);
  if (!id) ids.set(strapi, (id = randomUUID()));
  return id;
}
