/**
 * Admin panel entry of the checkout plugin: an "Orders" page in the main menu, visible to admin
 * roles holding `plugin::checkout.orders.read`; refunds need `plugin::checkout.orders.refund`.
 */
import { PriceTag } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import { PERMISSIONS, PLUGIN_ID, t } from './pluginId';

const LOCALES: Record<string, () => Promise<{ default: Record<string, string> }>> = {
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

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        const load = LOCALES[locale];
        if (!load) return { data: {}, locale };
        const { default: data } = await load();
        return { data: Object.fromEntries(Object.entries(data).map(([k, v]) => [t(k), v])), locale };
      })
    );
  },
};
