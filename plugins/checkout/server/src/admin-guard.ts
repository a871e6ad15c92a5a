/**
 * Records that mirror Stripe stay read-only in the admin panel: an editor who changed an order's
 * status or a subscription's period end by hand would desynchronise us from Stripe (and from
 * the money). Editors change them in Stripe (refund, cancel), and the webhook brings the result.
 * Enforced on the Document Service for Content Manager requests (the UI greys the fields too,
 * see bootstrap.ts); our own writes go through the Query Engine and are not affected.
 */
import type { Core } from '@strapi/strapi';
import { SUBSCRIPTION_UID, httpError, isDocumentWrite, useDocumentMiddleware, type DocumentMiddleware } from '@kp/platform';
import { CATALOGUE_ITEM_UID, GIFT_UID, ORDER_UID, STRIPE_CUSTOMER_UID, STRIPE_PRICE_UID, WEBHOOK_EVENT_UID } from './content-types';

/**
 * The types that mirror Stripe. All of their fields are Stripe's; none is editable by hand (an
 * editor's own remark field would not help either: the Content Manager refuses to save any type
 * with an attribute named `status`, which orders and subscriptions need).
 */
export const SYNCED_TYPES: readonly string[] = [ORDER_UID, SUBSCRIPTION_UID, WEBHOOK_EVENT_UID, STRIPE_CUSTOMER_UID, CATALOGUE_ITEM_UID, STRIPE_PRICE_UID, GIFT_UID];

/**
 * Decided on the route the request reached, not on its path: the router matches
 * `/Content-Manager/…` as well, and a prefix test on the raw path let such a spelling edit orders.
 */
function fromContentManager(strapi: Core.Strapi): boolean {
  const ctx = strapi.requestContext.get() as { state?: { route?: { info?: { pluginName?: string; type?: string } } } } | undefined;
  const info = ctx?.state?.route?.info;
  return info?.pluginName === 'content-manager' && info.type === 'admin';
}

export function registerAdminGuard(strapi: Core.Strapi): void {
  const guard: DocumentMiddleware = async (context, next) => {
    if (!SYNCED_TYPES.includes(context.uid) || !isDocumentWrite(context.action) || !fromContentManager(strapi)) return next();
    throw httpError(403, 'This record is kept in sync with Stripe and is read-only here: change it in Stripe (refunds from the Orders page).');
  };
  useDocumentMiddleware(strapi, guard);
}
