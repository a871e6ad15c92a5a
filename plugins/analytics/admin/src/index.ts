/**
 * Admin panel: an "Analytics" page (sales, checkout funnel, learning, catalogue review) and six
 * homepage widgets, each behind the plugin's RBAC actions (server/src/register.ts).
 */
import { ChartPie, PriceTag, PresentationChart, Lightning, Clock, Book } from '@strapi/icons';
import { PERMISSIONS, PLUGIN_ID } from './api';

type WidgetModule = typeof import('./widgets/Widgets');
const widget = (name: keyof WidgetModule) => async () => (await import('./widgets/Widgets'))[name];

const WIDGETS = [
  { id: 'revenue', title: 'Revenue, last 30 days', icon: PriceTag, component: widget('RevenueWidget'), tab: 'sales' },
  { id: 'paid-orders', title: 'New paid orders', icon: PresentationChart, component: widget('OrdersWidget'), tab: 'sales' },
  { id: 'subscriptions', title: 'Subscriptions and MRR', icon: ChartPie, component: widget('SubscriptionsWidget'), tab: 'sales' },
  { id: 'conversion', title: 'Checkout conversion', icon: Lightning, component: widget('ConversionWidget'), tab: 'funnel' },
  { id: 'review-queue', title: 'Review queue', icon: Clock, component: widget('ReviewQueueWidget'), tab: 'review' },
  { id: 'learning', title: 'Enrolments and completions', icon: Book, component: widget('LearningWidget'), tab: 'learning' },
];

export default {
  register(app: {
    addMenuLink(link: Record<string, unknown>): void;
    registerPlugin(plugin: Record<string, unknown>): void;
    widgets: { register(widgets: Array<Record<string, unknown>>): void };
  }) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: ChartPie,
      intlLabel: { id: `${PLUGIN_ID}.menu.label`, defaultMessage: 'Analytics' },
      permissions: [...PERMISSIONS.sales, ...PERMISSIONS.funnel, ...PERMISSIONS.learning, ...PERMISSIONS.review],
      Component: () => import('./pages/AnalyticsPage'),
    });
    app.widgets.register(
      WIDGETS.map((w) => ({
        id: w.id,
        pluginId: PLUGIN_ID,
        icon: w.icon,
        title: { id: `${PLUGIN_ID}.widget.${w.id}`, defaultMessage: w.title },
        component: w.component,
        link: { label: { id: `${PLUGIN_ID}.widget.open`, defaultMessage: 'Open Analytics' }, href: `/plugins/${PLUGIN_ID}?tab=${w.tab}` },
        permissions: PERMISSIONS.overview,
      }))
    );
    app.registerPlugin({ id: PLUGIN_ID, name: 'Analytics' });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return locales.map((locale) => ({
      locale,
      data: locale.startsWith('zh') ? { [`${PLUGIN_ID}.menu.label`]: '数据分析' } : { [`${PLUGIN_ID}.menu.label`]: 'Analytics' },
    }));
  },
};
