import type { Core } from '@strapi/strapi';
import { configReader } from '@kp/platform';
import type services from './services';
import type { PluginConfig } from './config';

type Services = typeof services;
export type ServiceName = keyof Services;

/** Typed access to this plugin's services. */
export function getService<N extends ServiceName>(strapi: Core.Strapi, name: N): ReturnType<Services[N]> {
  return strapi.plugin('notifications').service(name) as ReturnType<Services[N]>;
}

/** Typed access to this plugin's configuration. */
export const pluginConfig = configReader<PluginConfig>('notifications');

/** The storefront's base URL for links (PUBLIC_URL, else the server's own URL), without a trailing slash. */
export function publicBaseUrl(strapi: Core.Strapi): string {
  const configured = pluginConfig(strapi, 'publicUrl');
  const server = (strapi.config.get('server.absoluteUrl') as string | undefined) || (strapi.config.get('server.url') as string | undefined) || '';
  const base = configured || server || `http://localhost:${String(strapi.config.get('server.port') ?? 1337)}`;
  return base.replace(/\/+$/, '');
}
