import type { Core } from '@strapi/strapi';
import { registerAdminGuard } from './admin-guard';
import { registerCatalogueHooks } from './catalogue-hooks';

/** RBAC actions of the admin panel: reading orders (and the webhook inbox), starting a refund, retrying a dead-lettered event, listing coupons with their redemptions. */
const ACTIONS = [
  { section: 'plugins', displayName: 'Read orders', uid: 'orders.read', pluginName: 'checkout' },
  { section: 'plugins', displayName: 'Refund orders', uid: 'orders.refund', pluginName: 'checkout' },
  { section: 'plugins', displayName: 'Retry webhook events', uid: 'webhook-events.retry', pluginName: 'checkout' },
  { section: 'plugins', displayName: 'Read coupons', uid: 'coupons.read', pluginName: 'checkout' },
];

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(ACTIONS);
  registerAdminGuard(strapi);
  registerCatalogueHooks(strapi);
};
