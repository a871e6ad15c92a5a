import type { Core } from '@strapi/strapi';
import type services from './services';

type Services = typeof services;
export type ServiceName = keyof Services;

/** Typed access to this plugin's services. */
export function getService<N extends ServiceName>(strapi: Core.Strapi, name: N): ReturnType<Services[N]> {
  return strapi.plugin('learning').service(name) as ReturnType<Services[N]>;
}
