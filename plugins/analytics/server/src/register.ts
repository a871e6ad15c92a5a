import type { Core } from '@strapi/strapi';

/** Admin RBAC actions: one per Analytics page, and one for the homepage widgets. */
const ACTIONS = [
  { section: 'plugins', displayName: 'Overview (homepage widgets)', uid: 'overview.read', pluginName: 'analytics' },
  { section: 'plugins', displayName: 'Sales', uid: 'sales.read', pluginName: 'analytics' },
  { section: 'plugins', displayName: 'Checkout funnel', uid: 'funnel.read', pluginName: 'analytics' },
  { section: 'plugins', displayName: 'Learning', uid: 'learning.read', pluginName: 'analytics' },
  { section: 'plugins', displayName: 'Catalogue and review', uid: 'review.read', pluginName: 'analytics' },
  { section: 'plugins', displayName: 'Behaviour (at risk, likely buyers, segments, checkout success)', uid: 'behaviour.read', pluginName: 'analytics' },
  { section: 'plugins', displayName: 'Behaviour: retrain the models', uid: 'behaviour.train', pluginName: 'analytics' },
];

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(ACTIONS);
};
