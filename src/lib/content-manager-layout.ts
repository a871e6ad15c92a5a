/**
 * How the catalogue reads in the admin panel's Content Manager: field labels and hints instead of
 * raw attribute names (`price` says it is in minor units, `access` what each value means), and
 * list views with the columns an editor sorts by (access, price, instructor, category) instead of
 * Strapi's first four fields.
 *
 * Strapi keeps each type's Content Manager configuration in its core store
 * (`plugin_content_manager_configuration_content_types::<uid>`, `…_components::<uid>` for a
 * component), read and written through the content-manager plugin's `content-types` and
 * `components` services. `presentConfiguration` (pure) only replaces
 * what is still Strapi's default — a label equal to the field name, an empty hint, the default list
 * view (`id` and three fields) — so what an editor changes in "Configure the view" stays.
 */
import type { Core } from '@strapi/strapi';

export interface FieldPresentation {
  label: string;
  description?: string;
}

export interface TypePresentation {
  fields: Record<string, FieldPresentation>;
  /** The list view's columns, in order. */
  list: string[];
}

export const PRESENTATION: Record<string, TypePresentation> = {
  'api::course.course': {
    fields: {
      title: { label: 'Title' },
      slug: { label: 'Address (slug)', description: 'Part of the course page address: letters, digits and hyphens.' },
      summary: { label: 'Summary', description: 'One or two sentences shown on cards and in search (at least 60 characters to pass review).' },
      description: { label: 'Description' },
      cover: { label: 'Cover image' },
      level: { label: 'Level', description: 'beginner, intermediate or advanced.' },
      access: {
        label: 'Access',
        description: 'free: open to everyone · paid: bought course by course · subscription: included in the all-access plans.',
      },
      price: { label: 'Price (minor units)', description: 'In the smallest unit of the currency: 7999 is 79.99 USD (cents), 600 is 6.00 CNY; JPY has no minor unit.' },
      currency: { label: 'Currency', description: 'usd, eur, gbp, cny or jpy.' },
      extraPrices: {
        label: 'Prices in other currencies',
        description: 'Optional: one row per other currency with its amount in minor units (eur 1800 is 18.00 EUR). Each gets its own Stripe Price; a learner who picks that currency pays it.',
      },
      tags: { label: 'Tags' },
      category: { label: 'Category' },
      instructor: { label: 'Instructor' },
      chapters: { label: 'Chapters' },
      plans: { label: 'Included in plans' },
    },
    list: ['title', 'access', 'price', 'currency', 'instructor', 'category'],
  },
  'api::chapter.chapter': {
    fields: {
      title: { label: 'Title' },
      position: { label: 'Position', description: '1 for the first chapter of the course.' },
      course: { label: 'Course' },
      isPreview: { label: 'Free preview', description: 'Readable by everyone, before buying.' },
      optional: { label: 'Optional' },
      duration: { label: 'Duration (minutes)' },
      body: { label: 'Content' },
      video: { label: 'Video' },
      attachments: { label: 'Attachments' },
    },
    list: ['title', 'course', 'position', 'isPreview', 'duration'],
  },
  'api::plan.plan': {
    fields: {
      price: { label: 'Price (minor units)', description: 'In the smallest unit of the currency: 1500 is 15.00 USD.' },
      interval: { label: 'Billing period', description: 'month, quarter (every 3 months) or year. Saving creates the Stripe Price; see "Stripe catalogue".' },
      trialDays: { label: 'Free trial (days)', description: '0 for none; once per learner. Access is open during the trial.' },
      allAccess: { label: 'All access', description: 'Every subscription course, not only the ones listed.' },
    },
    list: ['name', 'interval', 'price', 'currency', 'allAccess'],
  },
  // The checkout plugin's types an editor reads to sell: what is on sale and what Stripe holds.
  'plugin::checkout.catalogue-item': {
    fields: {
      title: { label: 'Course or plan' },
      kind: { label: 'Kind' },
      amount: { label: 'Price (minor units)', description: 'The default price, as Stripe charges it; prices in other currencies have Stripe Prices of their own.' },
      currency: { label: 'Currency' },
      syncState: { label: 'Stripe state', description: 'synced, or error with the reason beside it; the next checkout repairs it.' },
      syncError: { label: 'Reason' },
      stripeProductId: { label: 'Stripe product' },
      stripePriceId: { label: 'Stripe price (current)' },
      syncedAt: { label: 'Synchronised at' },
    },
    list: ['title', 'kind', 'amount', 'currency', 'syncState', 'syncError'],
  },
  'plugin::checkout.coupon': {
    fields: {
      name: { label: 'Name', description: 'What learners see at Stripe Checkout; the one term you can still change.' },
      code: { label: 'Code', description: 'What learners type, case-insensitive (WINTER25).' },
      percentOff: { label: 'Percent off' },
      amountOff: { label: 'Amount off (minor units)', description: 'With a currency; the code is refused in a checkout of another currency.' },
      currency: { label: 'Currency (amount off)' },
      duration: { label: 'Duration', description: 'once, repeating (for the months below) or forever (subscriptions).' },
      durationInMonths: { label: 'Months (repeating)' },
      expiresAt: { label: 'Expires at' },
      maxRedemptions: { label: 'Maximum redemptions' },
      active: { label: 'Active', description: 'Off: the code stops, here and at Stripe.' },
      courses: { label: 'Only for these courses', description: 'None here and under plans: valid for everything.' },
      plans: { label: 'Only for these plans' },
      syncState: { label: 'Stripe state' },
      timesRedeemed: { label: 'Times redeemed (Stripe)' },
    },
    list: ['code', 'name', 'percentOff', 'amountOff', 'currency', 'active', 'syncState'],
  },
  // A component (the course's "Prices in other currencies" rows): same store, its own service.
  'commerce.extra-price': {
    fields: {
      currency: { label: 'Currency', description: 'Another currency than the course’s own.' },
      amount: { label: 'Amount (minor units)', description: '1800 is 18.00 EUR; JPY has no minor unit (3000 is ¥3,000).' },
    },
    list: ['currency', 'amount'],
  },
  'plugin::checkout.bundle': {
    fields: {
      title: { label: 'Title' },
      slug: { label: 'Address (slug)' },
      summary: { label: 'Summary' },
      price: { label: 'Price (minor units)', description: 'One price for every course of the bundle: 4900 is 49.00.' },
      currency: { label: 'Currency' },
      onSale: { label: 'On sale', description: 'Listed at /api/checkout/bundles and buyable.' },
      courses: { label: 'Courses' },
    },
    list: ['title', 'price', 'currency', 'onSale'],
  },
};

interface FieldMeta {
  edit?: Record<string, unknown>;
  list?: Record<string, unknown>;
}

export interface CmConfiguration {
  settings?: Record<string, unknown>;
  metadatas?: Record<string, FieldMeta>;
  layouts?: { list?: string[]; edit?: unknown };
  [key: string]: unknown;
}

/** The configuration with the presentation applied where Strapi's defaults are (pure); null when nothing changes. */
export function presentConfiguration(config: CmConfiguration, p: TypePresentation, attributes: readonly string[]): CmConfiguration | null {
  const next: CmConfiguration = structuredClone(config);
  let changed = false;
  const metadatas = (next.metadatas ??= {});
  for (const [field, want] of Object.entries(p.fields)) {
    if (!attributes.includes(field)) continue;
    const meta = (metadatas[field] ??= {});
    for (const view of ['edit', 'list'] as const) {
      const m = (meta[view] ??= {});
      if (m.label === undefined || m.label === field || m.label === '') {
        if (m.label !== want.label) {
          m.label = want.label;
          changed = true;
        }
      }
    }
    if (want.description && !meta.edit!.description) {
      meta.edit!.description = want.description;
      changed = true;
    }
  }
  const list = p.list.filter((f) => attributes.includes(f));
  const current = next.layouts?.list ?? [];
  // Strapi's default list view: `id` and the next three fields.
  const untouched = current.length === 0 || (current[0] === 'id' && current.length <= 4);
  if (untouched && JSON.stringify(current) !== JSON.stringify(list)) {
    next.layouts = { ...(next.layouts ?? {}), list };
    changed = true;
  }
  return changed ? next : null;
}

interface CmContentTypes {
  findConfiguration(ct: { uid: string }): Promise<CmConfiguration & { uid?: string; category?: string }>;
  updateConfiguration(ct: { uid: string }, config: CmConfiguration): Promise<unknown>;
}

/** Applies `PRESENTATION` to the Content Manager's stored configurations (bootstrap; idempotent). */
export async function presentContentManager(strapi: Core.Strapi): Promise<void> {
  const contentTypes = strapi.plugin('content-manager')?.service('content-types') as CmContentTypes | undefined;
  const components = strapi.plugin('content-manager')?.service('components') as CmContentTypes | undefined;
  if (!contentTypes || !components) return;
  for (const [uid, p] of Object.entries(PRESENTATION)) {
    const component = (strapi.components as unknown as Record<string, { attributes?: Record<string, unknown> }>)[uid];
    const schema = component ?? (strapi.contentType(uid as never) as { attributes?: Record<string, unknown> } | undefined);
    if (!schema?.attributes) continue;
    const service = component ? components : contentTypes;
    try {
      const { uid: _uid, category: _category, ...config } = await service.findConfiguration({ uid });
      const next = presentConfiguration(config, p, Object.keys(schema.attributes));
      if (next) await service.updateConfiguration({ uid }, next);
    } catch (error) {
      // Cosmetic: never a reason not to boot.
      strapi.log.warn(`content manager: could not present ${uid}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
