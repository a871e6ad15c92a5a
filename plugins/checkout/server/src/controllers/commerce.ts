import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { assertNever, httpError, inputOf } from '@kp/platform';
import { claimGift, listBundles } from '../routes/commerce';
import type { ClaimRefusal } from '../services/gifts';
import { getService } from '../utils';

/** One answer per claim refusal; a new reason does not compile until it has one. */
function refusal(r: ClaimRefusal): Error {
  switch (r.reason) {
    case 'invalid-code':
      return httpError(400, 'Invalid body: code: not a gift code (20 letters and digits, e.g. K7Q2-9XMB-4TRD-Z1HP-6WNC).', { reason: r.reason });
    case 'not-found':
      return httpError(404, 'No gift with this code.', { reason: r.reason });
    case 'already-claimed':
      return httpError(409, 'This gift code has already been claimed.', { reason: r.reason });
    case 'canceled':
      return httpError(409, 'This gift was refunded and can no longer be claimed.', { reason: r.reason });
    case 'own-gift':
      return httpError(409, 'You bought this gift: give the code to its recipient.', { reason: r.reason });
    case 'already-has-access':
      return httpError(409, 'You already have every course of this gift: the code stays unused.', { reason: r.reason });
    default:
      return assertNever(r.reason, 'gift claim refusal');
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/checkout/bundles */
  async listBundles(ctx: Context) {
    const { locale } = inputOf(ctx, listBundles).query;
    ctx.body = { data: await getService(strapi, 'bundles').listOnSale(locale ?? 'en') };
  },

  /** POST /api/checkout/gifts/claim */
  async claimGift(ctx: Context) {
    const user = ctx.state.user as { id: number };
    const { code } = inputOf(ctx, claimGift).body;
    const result = await getService(strapi, 'gifts').claim(user.id, code);
    if (!result.ok) throw refusal(result.refusal);
    ctx.body = { data: result.value };
  },
});
