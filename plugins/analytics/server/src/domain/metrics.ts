/**
 * The figures a report derives from SQL aggregates: net revenue per currency, average order value,
 * rates, MRR with yearly plans normalised to a month, and medians. Money stays in minor units and
 * per currency: nothing here adds two currencies.
 */
import type { FunnelFigures, MoneyFigures } from '@kp/platform';

/** Aggregates of one currency as SQL returns them. */
export interface MoneyAggregate {
  currency: string;
  gross: number;
  refunds: number;
  disputes: number;
  orders: number;
}

export function moneyFigures(a: MoneyAggregate): MoneyFigures {
  return {
    currency: a.currency,
    gross: a.gross,
    refunds: a.refunds,
    disputes: a.disputes,
    net: a.gross - a.refunds - a.disputes,
    orders: a.orders,
    averageOrderValue: a.orders > 0 ? Math.round(a.gross / a.orders) : null,
  };
}

/**
 * Sales, refunds and disputes arrive as separate aggregates (each counted in the period it
 * happened): merged per key (currency, or bucket + currency), never across currencies.
 */
export function mergeMoney<K extends string>(
  rows: ReadonlyArray<{ key: K; currency: string; gross?: number; refunds?: number; disputes?: number; orders?: number }>
): Array<{ key: K } & MoneyFigures> {
  const byKey = new Map<string, MoneyAggregate & { key: K }>();
  for (const r of rows) {
    const id = `${r.key}\u0000${r.currency}`;
    let acc = byKey.get(id);
    if (!acc) byKey.set(id, (acc = { key: r.key, currency: r.currency, gross: 0, refunds: 0, disputes: 0, orders: 0 }));
    acc.gross += r.gross ?? 0;
    acc.refunds += r.refunds ?? 0;
    acc.disputes += r.disputes ?? 0;
    acc.orders += r.orders ?? 0;
  }
  return [...byKey.values()]
    .map((a) => ({ key: a.key, ...moneyFigures(a) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.currency < y.currency ? -1 : x.currency > y.currency ? 1 : 0));
}

/** part / whole rounded to 4 decimals; null when whole is 0. */
export function rate(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}

/** Churn: subscriptions canceled in the period over those live at its start. */
export function churnRate(canceled: number, activeAtStart: number): number | null {
  return rate(canceled, activeAtStart);
}

/** A plan's price as monthly revenue (minor units, unrounded): yearly plans count price / 12, quarterly price / 3. */
export function monthlyAmount(price: number, interval: 'month' | 'quarter' | 'year'): number {
  return interval === 'year' ? price / 12 : interval === 'quarter' ? price / 3 : price;
}

/** MRR per currency from (currency, interval, sum of prices) aggregates, rounded once per currency. */
export function mrrByCurrency(rows: ReadonlyArray<{ currency: string; interval: 'month' | 'quarter' | 'year'; total: number }>): Array<{ currency: string; mrr: number }> {
  const acc = new Map<string, number>();
  for (const r of rows) acc.set(r.currency, (acc.get(r.currency) ?? 0) + monthlyAmount(r.total, r.interval));
  return [...acc.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, mrr]) => ({ currency, mrr: Math.round(mrr) }));
}

/**
 * The median from the one or two middle values of a sorted list of n values (SQL returns them with
 * ORDER BY … LIMIT 2 OFFSET medianOffset(n)); null when n is 0.
 */
export function medianOffset(n: number): number {
  return Math.max(0, Math.floor((n - 1) / 2));
}

export function medianOfMiddle(n: number, middle: readonly number[]): number | null {
  if (n <= 0 || middle.length === 0) return null;
  if (n % 2 === 1) return middle[0]!;
  return middle.length > 1 ? (middle[0]! + middle[1]!) / 2 : middle[0]!;
}

/** The median of a list (tests and small lists). */
export function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const off = medianOffset(sorted.length);
  return medianOfMiddle(sorted.length, sorted.slice(off, off + 2));
}

export interface FunnelCounts {
  started: number;
  completed: number;
  paid: number;
  refunded: number;
  expired: number;
  failed: number;
  pending: number;
}

export function funnelFigures(c: FunnelCounts): FunnelFigures {
  return { ...c, successRate: rate(c.paid, c.started), abandonmentRate: rate(c.expired, c.started) };
}

export const EMPTY_FUNNEL: FunnelCounts = { started: 0, completed: 0, paid: 0, refunded: 0, expired: 0, failed: 0, pending: 0 };

/** Rounds a duration in milliseconds to hours / days with one decimal. */
export function toHours(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 360_000) / 10;
}
export function toDays(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 8_640_000) / 10;
}
