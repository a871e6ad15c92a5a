import type { Core } from '@strapi/strapi';
import { configReader } from '@kp/platform';
import type services from './services';
import type { PluginConfig } from './config';

type Services = typeof services;
export type ServiceName = keyof Services;

/** Typed access to this plugin's services. */
export function getService<N extends ServiceName>(strapi: Core.Strapi, name: N): ReturnType<Services[N]> {
  return strapi.plugin('community').service(name) as ReturnType<Services[N]>;
}

/** Typed access to this plugin's configuration. */
export const pluginConfig = configReader<PluginConfig>('community');
