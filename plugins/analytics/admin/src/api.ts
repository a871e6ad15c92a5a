/** The admin UI's view of the analytics API: query strings, the overview shared by the widgets, money display. */
import type { OverviewReport } from '@kp/platform/contracts';

export const PLUGIN_ID = 'analytics';

export const PERMISSIONS = {
  overview: [{ action: 'plugin::analytics.overview.read', subject: null }],
  sales: [{ action: 'plugin::analytics.sales.read', subject: null }],
  funnel: [{ action: 'plugin::analytics.funnel.read', subject: null }],
  learning: [{ action: 'plugin::analytics.learning.read', subject: null }],
  review: [{ action: 'plugin::analytics.review.read', subject: null }],
  behaviour: [{ action: 'plugin::analytics.behaviour.read', subject: null }],
  behaviourTrain: [{ action: 'plugin::analytics.behaviour.train', subject: null }],
};

export type Filters = {
  preset: string;
  from: string;
  to: string;
  granularity: 'day' | 'week' | 'month';
  currency: string;
  course: string;
  category: string;
  instructor: string;
};

export const DEFAULT_FILTERS: Filters = { preset: '30d', from: '', to: '', granularity: 'day', currency: '', course: '', category: '', instructor: '' };

/** The query string of a report request: empty filters left out, from/to only for a custom range. */
export function queryOf(f: Filters): string {
  const q = new URLSearchParams();
  if (f.preset === 'custom') {
    q.set('from', f.from);
    q.set('to', f.to);
  } else q.set('preset', f.preset);
  q.set('granularity', f.granularity);
  for (const k of ['currency', 'course', 'category', 'instructor'] as const) if (f[k]) q.set(k, f[k]);
  return q.toString();
}

/** Digits after the decimal point of a currency (0 for jpy). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units as a plain decimal in major units ("50.00", "3000"): what tables and CSV show. */
export function major(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/** An amount with its currency for a sentence or a widget ("$50.00"). */
export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() }).format(amount / 10 ** minorDigits(currency));
  } catch {
    return `${major(amount, currency)} ${currency.toUpperCase()}`;
  }
}

export const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

type Get = <T>(url: string) => Promise<{ data: T }>;

let overviewCache: { at: number; promise: Promise<OverviewReport> } | null = null;

/** The homepage widgets share one overview request (the last 30 days), kept for a minute. */
export function loadOverview(get: Get): Promise<OverviewReport> {
  if (!overviewCache || Date.now() - overviewCache.at > 60_000) {
    const promise = get<{ data: OverviewReport }>('/analytics/overview?preset=30d').then((r) => r.data.data);
    promise.catch(() => {
      overviewCache = null;
    });
    overviewCache = { at: Date.now(), promise };
  }
  return overviewCache.promise;
}
