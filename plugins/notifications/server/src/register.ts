import type { Core } from '@strapi/strapi';
import { decideDelivery } from './domain/delivery';
import { pluginConfig } from './utils';

/** RBAC actions of the admin panel: reading the outbox, resending a message, exporting and erasing an account for a support request. */
const ACTIONS = [
  { section: 'plugins', displayName: 'Read the outbox', uid: 'outbox.read', pluginName: 'notifications' },
  { section: 'plugins', displayName: 'Resend messages', uid: 'outbox.resend', pluginName: 'notifications' },
  { section: 'plugins', displayName: 'Export and erase accounts', uid: 'accounts.manage', pluginName: 'notifications' },
];

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const decision = decideDelivery({
    smtpHost: pluginConfig(strapi, 'smtpHost'),
    smtpPort: pluginConfig(strapi, 'smtpPort'),
    smtpSecure: pluginConfig(strapi, 'smtpSecure'),
    required: pluginConfig(strapi, 'emailRequired'),
  });
  if (!decision.ok) throw new Error(`[notifications] ${decision.error}`);
  if (decision.mode.kind === 'capture') strapi.log.warn(`[notifications] ${decision.mode.reason}`);
  await strapi.service('admin::permission').actionProvider.registerMany(ACTIONS);
};
