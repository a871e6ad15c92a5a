/**
 * Gifts: the claim code a paid gift order issues (inside the webhook's transaction), its claim by
 * a signed-in learner, and what a refund or a lost dispute does to it. Decisions come from
 * domain/gifts.ts; access changes only through the paywall's `entitlements` service, with
 * `source: 'purchase'` and `sourceRef: gift:<gift documentId>`, so that revoking a gift touches
 * the claimer's rows of that gift and nothing else.
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { USER_UID, announce, relatedId, requireNeighbour, selectRow, updateRow, type CheckoutGiftEvent, type RevokeReason } from '@kp/platform';
import { GIFT_UID } from '../content-types';
import { decideClaim, decideGiftOnOrder, formatGiftCode, normaliseGiftCode, type GiftFacts, type GiftOrderEffect, type GiftState } from '../domain/gifts';

/** A gift as the webhook and the claim read it (locked). */
interface GiftRow extends GiftFacts {
  id: number;
  documentId: string;
  code: string;
  orderDocumentId: string;
  recipientEmail: string;
  courseDocumentIds: string[];
  itemTitle: string;
}

/** The gift part of an order, as its buyer sees it. */
export interface GiftView {
  recipientEmail: string;
  code: string;
  status: GiftState;
  claimedAt: string | null;
}

/** Why a claim is refused (the controller maps each to a 4xx). */
export type ClaimRefusal = { reason: 'invalid-code' | 'not-found' | 'already-claimed' | 'canceled' | 'own-gift' | 'already-has-access' };

export type ClaimResult = { ok: true; value: { courses: string[]; title: string } } | { ok: false; refusal: ClaimRefusal };

/** The order a gift hangs on, as the webhook hands it over. */
export interface GiftOrder {
  documentId: string;
  userId: number | null;
  recipientEmail: string;
  courseDocumentIds: string[];
  title: string;
  locale: string | null;
}

const COLUMNS = ['id', 'documentId', 'code', 'state', 'orderDocumentId', 'recipientEmail', 'courseDocumentIds', 'itemTitle'] as const;

function parseCourses(value: unknown): string[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : [];
}

const sourceRefOf = (giftDocumentId: string) => `gift:${giftDocumentId}`;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const paywall = () => requireNeighbour(strapi, 'paywall', 'Gifts cannot change access');

  async function lockGift(attribute: 'code' | 'orderDocumentId', value: string, trx: Knex): Promise<GiftRow | null> {
    const row = await selectRow(strapi, GIFT_UID, { attribute, value }, COLUMNS, { forUpdate: true, trx });
    if (!row) return null;
    const id = Number(row.id);
    return {
      id,
      documentId: String(row.documentId),
      code: String(row.code),
      state: row.state as GiftState,
      orderDocumentId: String(row.orderDocumentId),
      recipientEmail: String(row.recipientEmail),
      courseDocumentIds: parseCourses(row.courseDocumentIds),
      itemTitle: String(row.itemTitle ?? ''),
      buyerUserId: await relatedId(strapi, GIFT_UID, id, 'buyer', trx),
      claimedByUserId: await relatedId(strapi, GIFT_UID, id, 'claimedBy', trx),
    };
  }

  async function buyerName(userId: number | null): Promise<string | null> {
    if (userId === null) return null;
    const user = (await strapi.db.query(USER_UID).findOne({ where: { id: userId }, select: ['username', 'email'] })) as { username?: string; email?: string } | null;
    return user?.username || user?.email || null;
  }

  function event(gift: { documentId: string; code: string; recipientEmail: string; courseDocumentIds: string[]; itemTitle: string }, order: { documentId: string; userId: number | null; locale: string | null }, change: CheckoutGiftEvent['change'], name: string | null, at: Date): CheckoutGiftEvent {
    return {
      giftDocumentId: gift.documentId,
      orderDocumentId: order.documentId,
      change,
      code: gift.code,
      recipientEmail: gift.recipientEmail,
      buyerUserId: order.userId,
      buyerName: name,
      title: gift.itemTitle,
      courseDocumentIds: gift.courseDocumentIds,
      locale: order.locale,
      at: at.toISOString(),
    };
  }

  return {
    /**
     * Applies an order's access effect to its gift, inside the webhook's transaction (the order row
     * is locked, so two deliveries cannot both issue a code). Returns what was done.
     */
    async onOrderAccess(trx: Knex.Transaction, order: GiftOrder, effect: 'grant' | 'revoke', reason: RevokeReason, at: Date): Promise<GiftOrderEffect> {
      const gift = await lockGift('orderDocumentId', order.documentId, trx);
      const decision = decideGiftOnOrder(gift, effect);
      switch (decision.action) {
        case 'issue': {
          const code = formatGiftCode(randomBytes(20));
          const created = (await strapi.db.query(GIFT_UID).create({
            data: {
              code,
              state: 'pending',
              orderDocumentId: order.documentId,
              recipientEmail: order.recipientEmail,
              buyer: order.userId,
              courseDocumentIds: order.courseDocumentIds,
              itemTitle: order.title.slice(0, 255),
            },
          })) as { documentId: string };
          const issued = { documentId: created.documentId, code, recipientEmail: order.recipientEmail, courseDocumentIds: order.courseDocumentIds, itemTitle: order.title };
          // The notifications plugin stores the recipient's message in this same transaction.
          await announce(strapi, 'checkout.gift', event(issued, order, 'issued', await buyerName(order.userId), at));
          break;
        }
        case 'cancel':
          await updateRow(strapi, GIFT_UID, gift!.id, { state: 'canceled', endedAt: at }, at, trx);
          await announce(strapi, 'checkout.gift', event(gift!, order, 'canceled', null, at));
          break;
        case 'revoke-claimer':
          await paywall().entitlements.revoke({ source: 'purchase', sourceRef: sourceRefOf(gift!.documentId), reason, notes: `gift ${gift!.code} of order ${order.documentId}` });
          await updateRow(strapi, GIFT_UID, gift!.id, { state: 'revoked', endedAt: at }, at, trx);
          await announce(strapi, 'checkout.gift', event(gift!, order, 'revoked', null, at));
          break;
        case 'none':
          break;
      }
      return decision;
    },

    /** Claims a code for `userId`: the gift's courses become theirs, once. */
    async claim(userId: number, rawCode: string, now: Date = new Date()): Promise<ClaimResult> {
      const code = normaliseGiftCode(rawCode);
      if (!code) return { ok: false, refusal: { reason: 'invalid-code' } };
      return strapi.db.transaction(async ({ trx }) => {
        const gift = await lockGift('code', code, trx);
        let hasAll = false;
        if (gift && gift.state === 'pending') {
          const covered = await paywall().entitlements.coverage(userId, gift.courseDocumentIds, now);
          hasAll = gift.courseDocumentIds.length > 0 && gift.courseDocumentIds.every((c) => covered.has(c));
        }
        const decision = decideClaim(gift, userId, hasAll);
        if (!decision.ok) return { ok: false as const, refusal: { reason: decision.reason } };
        const g = gift!;
        for (const courseDocumentId of g.courseDocumentIds) {
          await paywall().entitlements.grant({ userId, courseDocumentId, source: 'purchase', sourceRef: sourceRefOf(g.documentId), notes: `gift ${g.code} of order ${g.orderDocumentId}` });
        }
        await updateRow(strapi, GIFT_UID, g.id, { state: 'claimed', claimedAt: now }, now, trx);
        await strapi.db.query(GIFT_UID).update({ where: { id: g.id }, data: { claimedBy: userId } });
        await announce(strapi, 'checkout.gift', event(g, { documentId: g.orderDocumentId, userId: g.buyerUserId, locale: null }, 'claimed', null, now));
        return { ok: true as const, value: { courses: g.courseDocumentIds, title: g.itemTitle } };
      });
    },

    /** The gifts of these orders (their buyer's view), by order documentId. */
    async forOrders(orderDocumentIds: string[]): Promise<Map<string, GiftView>> {
      const out = new Map<string, GiftView>();
      if (orderDocumentIds.length === 0) return out;
      const rows = (await strapi.db.query(GIFT_UID).findMany({
        where: { orderDocumentId: { $in: orderDocumentIds } },
        select: ['orderDocumentId', 'recipientEmail', 'code', 'state', 'claimedAt'],
      })) as Array<{ orderDocumentId: string; recipientEmail: string; code: string; state: GiftState; claimedAt: string | Date | null }>;
      for (const r of rows) {
        out.set(r.orderDocumentId, { recipientEmail: r.recipientEmail, code: r.code, status: r.state, claimedAt: r.claimedAt ? new Date(r.claimedAt).toISOString() : null });
      }
      return out;
    },
  };
};
