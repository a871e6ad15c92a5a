/**
 * Admin panel entry of the review plugin: a "Course review" page in the main menu, visible to
 * admin roles holding `plugin::review.read`, and a "Review" side panel in a course's edit view.
 */
import { SealCheck } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import { translationsRegistrar, type TranslationLoaders } from '@kp/platform/admin';
import { PERMISSIONS, PLUGIN_ID, t } from './pluginId';
import { ReviewStatePanel } from './components/ReviewStatePanel';

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

  /** The review state of a course in its Content Manager edit view (a side panel). */
  bootstrap(app: StrapiApp) {
    const cm = app.getPlugin('content-manager') as unknown as { apis?: { addEditViewSidePanel?(panels: unknown[]): void } } | undefined;
    cm?.apis?.addEditViewSidePanel?.([ReviewStatePanel]);
  },

  registerTrads: translationsRegistrar(PLUGIN_ID, LOCALES),
};
