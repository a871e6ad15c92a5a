/**
 * Admin panel: a "Recommender" page showing the state of this instance's index (courses, terms,
 * segments, learners, memory, last build per phase) and a rebuild button with progress. Both the
 * page and the button are behind the plugin's RBAC actions (server/src/register.ts).
 */
import { Sparkle } from '@strapi/icons';

const PLUGIN_ID = 'recommender';

export default {
  register(app: {
    addMenuLink(link: Record<string, unknown>): void;
    registerPlugin(plugin: Record<string, unknown>): void;
  }) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Sparkle,
      intlLabel: { id: `${PLUGIN_ID}.menu.label`, defaultMessage: 'Recommender' },
      permissions: [{ action: 'plugin::recommender.index.read', subject: null }],
      Component: () => import('./pages/IndexPage'),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Recommender' });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return locales.map((locale) => ({
      locale,
      data: locale.startsWith('zh')
        ? { [`${PLUGIN_ID}.menu.label`]: '推荐' }
        : { [`${PLUGIN_ID}.menu.label`]: 'Recommender' },
    }));
  },
};
