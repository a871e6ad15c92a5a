import type { Core } from '@strapi/strapi';
import { hardenAuthController, type AuthController } from '../../lib/security/account-recovery';

type ControllerFactory = (deps: { strapi: Core.Strapi }) => AuthController;

/**
 * users-permissions, extended: its auth routes answer the same for known and unknown accounts,
 * and none fails on a path spelling (src/lib/security/account-recovery.ts). Its code is wrapped,
 * not copied.
 */
export default (plugin: { controllers: Record<string, ControllerFactory> }) => {
  const original = plugin.controllers.auth!;
  plugin.controllers.auth = ({ strapi }) => hardenAuthController(strapi, original({ strapi }));
  return plugin;
};
