/**
 * Checkout success: the observed paid rate of started checkout sessions by course, currency, price
 * band and returning vs new buyer, and a probability for each session still open. A session is an
 * order row (one per Stripe Checkout Session); it is settled when it was paid or will not be
 * (expired, failed, canceled); open (pending) sessions are what the probability is for.
 *
 * The probability combines the dimensions as independent evidence on the log-odds scale (naive
 * Bayes): logit p = logit(overall) + Σ_d [logit(rate_d) − logit(overall)], each rate_d shrunk
 * toward the overall rate by `prior` pseudo-sessions, so that a course with 2 sessions says little.
 */
import { minorUnitDigits } from '@kp/platform';

export interface CheckoutSession {
  /** the order row's id, when read from the database */
  id?: number;
  /** null: a plan order (no course) */
  course: string | null;
  currency: string;
  /** minor units */
  amount: number;
  /** had a paid order before this session started */
  returning: boolean;
  paid: boolean;
  /** still pending: not counted in the rates, scored instead */
  open: boolean;
}

/** Price bands in major units of the session's currency (a JPY amount is already major). */
export const PRICE_BANDS = [
  { key: 'under-10', below: 10 },
  { key: '10-49', below: 50 },
  { key: '50-99', below: 100 },
  { key: '100+', below: Infinity },
] as const;
export type PriceBand = (typeof PRICE_BANDS)[number]['key'];

export function priceBand(amount: number, currency: string): PriceBand {
  const major = amount / 10 ** minorUnitDigits(currency);
  return (PRICE_BANDS.find((b) => major < b.below) ?? PRICE_BANDS[PRICE_BANDS.length - 1]!).key;
}

export type Dimension = 'course' | 'currency' | 'priceBand' | 'buyer';
export const DIMENSIONS: readonly Dimension[] = ['course', 'currency', 'priceBand', 'buyer'];

export function keyOf(s: CheckoutSession, d: Dimension): string {
  switch (d) {
    case 'course':
      return s.course ?? 'plan';
    case 'currency':
      return s.currency;
    case 'priceBand':
      return priceBand(s.amount, s.currency);
    case 'buyer':
      return s.returning ? 'returning' : 'new';
  }
}

export interface Rate {
  key: string;
  /** settled sessions */
  sessions: number;
  paid: number;
  /** paid ÷ sessions, 4 decimals; null without a settled session */
  rate: number | null;
}

export interface CheckoutSuccess {
  overall: Rate;
  open: number;
  by: Record<Dimension, Rate[]>;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const rateOf = (key: string, sessions: number, paid: number): Rate => ({ key, sessions, paid, rate: sessions ? round4(paid / sessions) : null });

/** Observed paid rates of the settled sessions: overall and per value of each dimension (most sessions first). */
export function checkoutSuccess(sessions: Iterable<CheckoutSession>): CheckoutSuccess {
  let n = 0;
  let paid = 0;
  let open = 0;
  const cells = Object.fromEntries(DIMENSIONS.map((d) => [d, new Map<string, { n: number; paid: number }>()])) as Record<Dimension, Map<string, { n: number; paid: number }>>;
  for (const s of sessions) {
    if (s.open) {
      open++;
      continue;
    }
    n++;
    if (s.paid) paid++;
    for (const d of DIMENSIONS) {
      const k = keyOf(s, d);
      const c = cells[d].get(k) ?? { n: 0, paid: 0 };
      c.n++;
      if (s.paid) c.paid++;
      cells[d].set(k, c);
    }
  }
  const by = Object.fromEntries(
    DIMENSIONS.map((d) => [d, [...cells[d]].map(([k, c]) => rateOf(k, c.n, c.paid)).sort((a, b) => b.sessions - a.sessions || (a.key < b.key ? -1 : 1))]),
  ) as Record<Dimension, Rate[]>;
  return { overall: rateOf('all', n, paid), open, by };
}

const logit = (p: number) => Math.log(p / (1 - p));
const clamp = (p: number) => Math.min(0.999, Math.max(0.001, p));

/** The probability that a session is paid, from the observed rates (see the module comment); `prior` pseudo-sessions per cell. */
export function sessionProbability(s: CheckoutSession, table: CheckoutSuccess, prior = 10): number | null {
  const base = table.overall.rate;
  if (base === null) return null;
  const p0 = clamp(base);
  let z = logit(p0);
  for (const d of DIMENSIONS) {
    const cell = table.by[d].find((r) => r.key === keyOf(s, d));
    const shrunk = cell ? (cell.paid + prior * p0) / (cell.sessions + prior) : p0;
    z += logit(clamp(shrunk)) - logit(p0);
  }
  return round4(1 / (1 + Math.exp(-z)));
}
