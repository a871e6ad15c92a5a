/**
 * The fake Stripe's catalogue: Products, Prices (one-time and recurring, with interval_count),
 * Coupons and Promotion Codes, as the checkout plugin's catalogue and coupon services call them.
 * Stores: `products`, `prices`, `coupons`, `promotion_codes` (see FakeStripeState.store). Like
 * Stripe: a Price's amount, currency and recurrence are immutable (only `active` and metadata
 * change), a Promotion Code's code is unique among active codes, a Coupon needs exactly one of
 * percent_off and amount_off (with currency).
 */
import type { FakeStripeRoute, FakeStripeState, StripeObject } from './fake-stripe';

const missing = (what: string, id: string) => ({ status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${id}'` } } });
const invalid = (message: string, param?: string) => ({ status: 400, body: { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } } });
const meta = (form: Record<string, unknown>) => (form.metadata as Record<string, string> | undefined) ?? {};
const bool = (v: unknown) => v === 'true' || v === true;
const int = (v: unknown) => (v === undefined || v === '' ? null : Number(v));

/** The Prices of a Product (tests assert "one active Price"). */
export function pricesOf(state: FakeStripeState, productId: string): StripeObject[] {
  return [...state.store('prices').values()].filter((p) => p.product === productId);
}

export const catalogueRoutes: FakeStripeRoute = (method, path, form, state) => {
  const products = state.store('products');
  const prices = state.store('prices');
  const coupons = state.store('coupons');
  const codes = state.store('promotion_codes');

  if (method === 'POST' && path === '/products') {
    if (!form.name) return invalid('Missing required param: name.', 'name');
    const product: StripeObject = { id: state.id('prod'), object: 'product', name: form.name, active: true, metadata: meta(form), created: state.now(), livemode: false };
    products.set(product.id, product);
    return { status: 200, body: product };
  }
  const product = path.match(/^\/products\/([^/]+)$/);
  if (product) {
    const p = products.get(product[1]!);
    if (!p) return missing('product', product[1]!);
    if (method === 'POST') {
      if (form.name !== undefined) p.name = form.name;
      if (form.active !== undefined) p.active = bool(form.active);
    }
    return { status: 200, body: p };
  }

  if (method === 'POST' && path === '/prices') {
    const productId = String(form.product ?? '');
    if (!products.has(productId)) return missing('product', productId);
    const amount = int(form.unit_amount);
    if (amount === null || !Number.isInteger(amount) || amount < 0) return invalid('unit_amount must be a non-negative integer', 'unit_amount');
    if (!form.currency) return invalid('Missing required param: currency.', 'currency');
    const r = form.recurring as { interval?: string; interval_count?: string } | undefined;
    if (r && !['day', 'week', 'month', 'year'].includes(String(r.interval))) return invalid('Invalid recurring[interval]', 'recurring[interval]');
    const count = r ? Number(r.interval_count ?? 1) : null;
    if (r && (count === null || count < 1 || (r.interval === 'month' && count > 36) || (r.interval === 'year' && count > 3))) {
      return invalid('The maximum billing period is 3 years', 'recurring[interval_count]');
    }
    const price: StripeObject = {
      id: state.id('price'),
      object: 'price',
      product: productId,
      active: true,
      currency: String(form.currency),
      unit_amount: amount,
      type: r ? 'recurring' : 'one_time',
      recurring: r ? { interval: r.interval, interval_count: count } : null,
      metadata: meta(form),
      created: state.now(),
      livemode: false,
    };
    prices.set(price.id, price);
    return { status: 200, body: price };
  }
  const price = path.match(/^\/prices\/([^/]+)$/);
  if (price) {
    const p = prices.get(price[1]!);
    if (!p) return missing('price', price[1]!);
    if (method === 'POST') {
      for (const immutable of ['unit_amount', 'currency', 'recurring', 'product']) {
        if (form[immutable] !== undefined) return invalid(`Received unknown parameter: ${immutable}`, immutable);
      }
      if (form.active !== undefined) p.active = bool(form.active);
    }
    return { status: 200, body: p };
  }

  if (method === 'POST' && path === '/coupons') {
    const percent = form.percent_off === undefined ? null : Number(form.percent_off);
    const amountOff = int(form.amount_off);
    if ((percent === null) === (amountOff === null)) return invalid('You must pass exactly one of percent_off or amount_off', 'percent_off');
    if (amountOff !== null && !form.currency) return invalid('You must pass currency when passing amount_off', 'currency');
    const duration = String(form.duration ?? 'once');
    if (duration === 'repeating' && !form.duration_in_months) return invalid('duration_in_months is required for repeating coupons', 'duration_in_months');
    const appliesTo = form.applies_to as { products?: string[] } | undefined;
    for (const p of appliesTo?.products ?? []) if (!products.has(p)) return missing('product', p);
    const coupon: StripeObject = {
      id: state.id('coup'),
      object: 'coupon',
      name: form.name ?? null,
      percent_off: percent,
      amount_off: amountOff,
      currency: form.currency ?? null,
      duration,
      duration_in_months: int(form.duration_in_months),
      redeem_by: int(form.redeem_by),
      max_redemptions: int(form.max_redemptions),
      applies_to: appliesTo?.products ? { products: appliesTo.products } : null,
      times_redeemed: 0,
      valid: true,
      metadata: meta(form),
      created: state.now(),
      livemode: false,
    };
    coupons.set(coupon.id, coupon);
    return { status: 200, body: coupon };
  }

  if (method === 'POST' && path === '/promotion_codes') {
    const promotion = form.promotion as { type?: string; coupon?: string } | undefined;
    if (promotion?.type !== 'coupon' || !promotion.coupon) return invalid('Missing required param: promotion[coupon].', 'promotion');
    const coupon = coupons.get(promotion.coupon);
    if (!coupon) return missing('coupon', promotion.coupon);
    const code = String(form.code ?? '').toUpperCase();
    if ([...codes.values()].some((c) => c.active && String(c.code).toUpperCase() === code)) {
      return invalid(`An active promotion code with \`code: ${code}\` already exists.`, 'code');
    }
    const pc: StripeObject = {
      id: state.id('promo'),
      object: 'promotion_code',
      code,
      promotion: { type: 'coupon', coupon: coupon.id },
      active: form.active === undefined ? true : bool(form.active),
      expires_at: int(form.expires_at),
      max_redemptions: int(form.max_redemptions),
      times_redeemed: 0,
      metadata: meta(form),
      created: state.now(),
      livemode: false,
    };
    codes.set(pc.id, pc);
    return { status: 200, body: pc };
  }
  const pc = path.match(/^\/promotion_codes\/([^/]+)$/);
  if (pc) {
    const c = codes.get(pc[1]!);
    if (!c) return missing('promotion_code', pc[1]!);
    if (method === 'POST' && form.active !== undefined) c.active = bool(form.active);
    return { status: 200, body: c };
  }
  return undefined;
};
