import type { Core } from '@strapi/strapi';
import { registerAdminGuard } from './admin-guard';

/** RBAC actions of the admin panel: reading orders, and starting a refund. */
const ACTIONS = [
  { section: 'plugins', displayName: 'Read orders', uid: 'orders.read', pluginName: 'checkout' },
  { section: 'plugins', displayName: 'Refund orders', uid: 'orders.refund', pluginName: 'checkout' },
];

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(ACTIONS);
  registerAdminGuard(strapi);
};
