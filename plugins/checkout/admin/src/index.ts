/**
 * Admin panel entry of the checkout plugin: an "Orders" page in the main menu, visible to admin
 * roles holding `plugin::checkout.orders.read`; refunds need `plugin::checkout.orders.refund`.
 */
import { PriceTag } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import { translationsRegistrar, type TranslationLoaders } from '@kp/platform/admin';
import { PERMISSIONS, PLUGIN_ID, t } from './pluginId';

const LOCALES: TranslationLoaders = {
  en: () => import('./translations/en.json'),
  'zh-Hans': () => import('./translations/zh-Hans.json'),
};

export default {
  register(app: StrapiApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PriceTag,
      intlLabel: { id: t('plugin.name'), defaultMessage: 'Orders' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/OrdersPage'),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Checkout' });
  },

  registerTrads: translationsRegistrar(PLUGIN_ID, LOCALES),
};
