/**
 * Admin panel entry of the community plugin: a "Community" page in the main menu, visible to
 * admin roles holding `plugin::community.read`.
 */
import { Message } from '@strapi/icons';
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
      icon: Message,
      intlLabel: { id: t('plugin.name'), defaultMessage: 'Community' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/CommunityPage'),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Community' });
  },

  registerTrads: translationsRegistrar(PLUGIN_ID, LOCALES),
};
