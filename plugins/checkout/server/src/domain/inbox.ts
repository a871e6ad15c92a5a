/**
 * The webhook inbox's decisions (pure): which Stripe object an event is ordered by, and what a
 * failed attempt leads to (another attempt after an exponential back-off, or the dead letters).
 *
 * Ordering: events of one ordering key are applied one at a time, oldest first (Stripe's
 * `created`, then arrival), and an event waits while an earlier one of its key is still pending —
 * including one waiting for a retry. A dead-lettered event no longer holds its key back (the
 * decisions in orders.ts and subscriptions.ts already tolerate any order; the inbox ordering saves
 * them work and keeps two events of one object from contending for the same rows). The key:
 *   - a subscription's events (`customer.subscription.*`), its invoices (`invoice.*`) and the
 *     Checkout Session that started it: `subscription:<sub id>`;
 *   - a one-off payment's session, charges, refunds and disputes: `payment_intent:<pi id>`;
 *   - a session without a PaymentIntent yet (an expired one): `checkout.session:<cs id>`;
 *   - anything else: `<object>:<id>` of its `data.object`.
 * Read from the raw JSON (not from the parsed facts) so that a new event type gets a key without
 * a change here.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An expandable reference: the id, or the object's id when expanded. */
function refId(v: unknown): string | null {
  if (typeof v === 'string' && v) return v;
  if (isObject(v) && typeof v.id === 'string' && v.id) return v.id;
  return null;
}

/** Longest ordering key stored (the column holds 255). */
const MAX_KEY = 255;

/** The ordering key of a Stripe event (see above). */
export function orderingKey(event: unknown): string {
  const root = isObject(event) ? event : {};
  const data = isObject(root.data) ? root.data : {};
  const object = isObject(data.object) ? data.object : {};
  const kind = typeof object.object === 'string' ? object.object : 'object';
  const id = refId(object.id) ?? (typeof root.id === 'string' ? root.id : 'unknown');

  let key: string;
  const parent = isObject(object.parent) ? object.parent : {};
  const details = isObject(parent.subscription_details) ? parent.subscription_details : {};
  const subscription = refId(details.subscription) ?? refId(object.subscription);
  const paymentIntent = refId(object.payment_intent);
  if (kind === 'subscription') key = `subscription:${id}`;
  else if (kind === 'invoice') key = subscription ? `subscription:${subscription}` : `invoice:${id}`;
  else if (kind === 'checkout.session') key = subscription ? `subscription:${subscription}` : paymentIntent ? `payment_intent:${paymentIntent}` : `checkout.session:${id}`;
  else if (kind === 'payment_intent') key = `payment_intent:${id}`;
  else if (paymentIntent) key = `payment_intent:${paymentIntent}`;
  else key = `${kind}:${id}`;
  return key.slice(0, MAX_KEY);
}

export interface RetryPolicy {
  /** Attempts in all (the first included) before an event is dead-lettered. */
  maxAttempts: number;
  /** Delay after the first failure; doubled after each further one. */
  baseDelayMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
}

export type AfterFailure = { state: 'pending'; nextAttemptAt: Date; delayMs: number } | { state: 'dead' };

/** `attempts` counts the attempt that just failed. Back-off: base, 2×base, 4×base… capped at maxDelayMs. */
export function afterFailedAttempt(attempts: number, now: Date, policy: RetryPolicy): AfterFailure {
  if (attempts >= policy.maxAttempts) return { state: 'dead' };
  const delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return { state: 'pending', nextAttemptAt: new Date(now.getTime() + delayMs), delayMs };
}

/** A short, single-line error for the event row and the admin page. */
export function describeError(error: unknown, max = 1000): string {
  const e = error as { message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  const line = `${code}${message}`.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
