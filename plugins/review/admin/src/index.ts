/**
 * Admin panel entry of the review plugin: a "Course review" page in the main menu, visible to
 * admin roles holding `plugin::review.read`.
 */
import { SealCheck } from '@strapi/icons';
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
      icon: SealCheck,
      intlLabel: { id: t('plugin.name'), defaultMessage: 'Course review' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/ReviewPage'),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Course review' });
  },

  registerTrads: translationsRegistrar(PLUGIN_ID, LOCALES),
};
