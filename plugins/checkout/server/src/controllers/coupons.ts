import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { assertNever, httpError, inputOf } from '@kp/platform';
import { formatAmount } from '../domain/money';
import { inCurrency } from '../services/catalogue';
import { validatePromotionCode } from '../routes/content-api';
import type { CodeRefusal } from '../services/coupons';
import { getService } from '../utils';
import { throwStripeFailure } from './stripe-failure';

const WHY: Record<string, string> = {
  inactive: 'This promotion code is no longer active.',
  expired: 'This promotion code has expired.',
  'used-up': 'This promotion code has been used as many times as it may be.',
  'not-applicable': 'This promotion code is not valid for this item.',
};

/** One answer per refusal of a promotion code (validation and checkout alike). */
export function codeRefusalError(refusal: CodeRefusal): Error {
  switch (refusal.reason) {
    case 'unknown-code':
      return httpError(404, 'No such promotion code.', { reason: refusal.reason });
    case 'not-found':
      return httpError(404, `No published ${refusal.what} for sale with this id.`, { reason: refusal.reason });
    case 'wrong-currency':
      // Which currencies, in the message: the learner sees a price in one and holds a code for another.
      return httpError(409, `This promotion code is for another currency (${refusal.detail}).`, { reason: refusal.reason, detail: refusal.detail });
    case 'inactive':
    case 'expired':
    case 'used-up':
    case 'not-applicable':
      return httpError(409, WHY[refusal.reason] ?? 'This promotion code cannot be used.', { reason: refusal.reason, detail: refusal.detail });
    default:
      return assertNever(refusal, 'promotion code refusal');
  }
}

/** A course asked for in a currency it is not offered in (checkout and code validation alike). */
export function unsupportedCurrencyError(requested: string, offered: readonly string[]): Error {
  return httpError(400, `This course is not sold in ${requested.toUpperCase()}: it is offered in ${offered.map((c) => c.toUpperCase()).join(', ')}.`, {
    reason: 'unsupported-currency',
    field: 'currency',
    offered,
  });
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /api/checkout/promotion-codes/validate → the discounted price, or why the code cannot be used. */
  async validate(ctx: Context) {
    const { body } = inputOf(ctx, validatePromotionCode);
    const kind = body.course ? 'course' : 'plan';
    const documentId = (body.course ?? body.plan) as string;
    const found = await getService(strapi, 'catalogue').sellable(kind, documentId);
    if (!found) throw codeRefusalError({ reason: 'not-found', what: kind });
    // In the currency the checkout will be in (the price the learner is shown), as POST /sessions checks it.
    const item = body.currency ? inCurrency(found, body.currency) : found;
    if (!item) throw unsupportedCurrencyError(body.currency as string, found.offered.map((s) => s.currency));
    const result = await getService(strapi, 'coupons').check(body.code, item).catch((error: unknown) => throwStripeFailure(strapi, error));
    if (!result.ok) throw codeRefusalError(result.refusal);
    const v = result.value;
    ctx.body = {
      data: {
        code: v.code,
        amount: v.amount,
        discount: v.discount,
        total: v.total,
        currency: v.currency,
        display: { amount: formatAmount(v.amount, v.currency), discount: formatAmount(v.discount, v.currency), total: formatAmount(v.total, v.currency) },
        duration: v.duration,
        durationInMonths: v.durationInMonths,
      },
    };
  },
});
