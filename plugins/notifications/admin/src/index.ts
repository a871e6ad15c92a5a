/**
 * Admin panel entry of the notifications plugin: an "Outbox" page in the main menu, visible to
 * admin roles holding `plugin::notifications.outbox.read`; resending needs
 * `plugin::notifications.outbox.resend`.
 */
import { Mail } from '@strapi/icons';
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
      icon: Mail,
      intlLabel: { id: t('plugin.name'), defaultMessage: 'Outbox' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/OutboxPage'),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Notifications' });
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
