/**
 * Admin panel entry of the notifications plugin: an "Outbox" page in the main menu, visible to
 * admin roles holding `plugin::notifications.outbox.read`; resending needs
 * `plugin::notifications.outbox.resend`.
 */
import { Mail } from '@strapi/icons';
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
      icon: Mail,
      intlLabel: { id: t('plugin.name'), defaultMessage: 'Outbox' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/OutboxPage'),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Notifications' });
  },

  registerTrads: translationsRegistrar(PLUGIN_ID, LOCALES),
};
