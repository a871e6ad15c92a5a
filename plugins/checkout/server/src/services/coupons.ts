/**
 * Coupons editors make in the admin panel (Content Manager, type "Coupon"), created in Stripe as a
 * Coupon and its Promotion Code (restricted to the Stripe Products of the chosen courses and
 * plans), and checked for a learner before checkout. Terms are validated by domain/coupons.ts;
 * the hooks that run on save are in catalogue-hooks.ts.
 */
import type { Core } from '@strapi/strapi';
import { ORDER_UID, COUPON_UID } from '../content-types';
import { decideCouponApplicability, normaliseCode, type CouponDecision, type CouponDuration, type CouponRefusal, type CouponState } from '../domain/coupons';
import { formatAmount } from '../domain/money';
import { readConfig } from '../config';
import { getService } from '../utils';
import type { SellableItem } from './catalogue';
import { StripeApiError } from './stripe-api';

export interface CouponRow {
  id: number;
  documentId: string;
  name: string;
  code: string;
  percentOff: number | string | null;
  amountOff: number | null;
  currency: string | null;
  duration: string;
  durationInMonths: number | null;
  expiresAt: string | Date | null;
  maxRedemptions: number | null;
  active: boolean | number;
  stripeCouponId: string | null;
  stripePromotionCodeId: string | null;
  timesRedeemed: number | null;
  syncState: string | null;
  syncError: string | null;
  courses?: Array<{ documentId: string }>;
  plans?: Array<{ documentId: string }>;
  createdAt?: string | Date;
}

const iso = (v: string | Date | null | undefined): string | null => (v ? new Date(v).toISOString() : null);
const unique = (rows: Array<{ documentId: string }> | undefined) => [...new Set((rows ?? []).map((r) => r.documentId))];

/** The coupon's terms and state as the pure decision reads them. */
export function couponState(row: CouponRow): CouponState {
  return {
    code: row.code,
    percentOff: row.percentOff === null || row.percentOff === undefined ? null : Number(row.percentOff),
    amountOff: row.amountOff ?? null,
    currency: row.currency ?? null,
    duration: row.duration,
    durationInMonths: row.durationInMonths ?? null,
    expiresAt: iso(row.expiresAt),
    maxRedemptions: row.maxRedemptions ?? null,
    courses: unique(row.courses),
    plans: unique(row.plans),
    active: Boolean(row.active),
    timesRedeemed: Number(row.timesRedeemed ?? 0),
  };
}

/** Why a code cannot be used (mapped to 404 / 409 by the controller). */
export type CodeRefusal =
  | { reason: 'unknown-code' }
  | { reason: 'not-found'; what: 'course' | 'plan' }
  | { reason: CouponRefusal; detail: string };

export interface CheckedCode {
  code: string;
  promotionCodeId: string;
  amount: number;
  discount: number;
  total: number;
  currency: string;
  duration: CouponDuration;
  durationInMonths: number | null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(COUPON_UID);
  const stripeApi = () => getService(strapi, 'stripe-api');

  async function load(where: Record<string, unknown>): Promise<CouponRow | null> {
    return (await query().findOne({ where, populate: { courses: { select: ['documentId'] }, plans: { select: ['documentId'] } } })) as CouponRow | null;
  }

  async function record(id: number, data: Record<string, unknown>): Promise<void> {
    await query().update({ where: { id }, data });
  }

  /**
   * Creates the coupon in Stripe if it is not there yet, or mirrors its on/off switch. Throws
   * StripeApiError after recording the reason on the row.
   */
  async function push(row: CouponRow): Promise<CouponRow> {
    try {
      if (!readConfig(strapi, 'stripe').secretKey) throw new StripeApiError('not-configured', 'STRIPE_SECRET_KEY is not set');
      if (row.stripePromotionCodeId) {
        await stripeApi().setPromotionCodeActive(row.stripePromotionCodeId, Boolean(row.active));
        await record(row.id, { syncState: 'synced', syncError: null });
        return { ...row, syncState: 'synced', syncError: null };
      }
      const state = couponState(row);
      const productIds: string[] = [];
      const catalogue = getService(strapi, 'catalogue');
      for (const [kind, ids] of [['course', state.courses], ['plan', state.plans]] as const) {
        for (const documentId of ids) {
          const product = await catalogue.productFor(kind, documentId);
          if (!product) throw new StripeApiError('invalid-request', `${kind} ${documentId} is not sold on its own (free, subscription-only, unpublished or without a price)`);
          productIds.push(product);
        }
      }
      const created = await stripeApi().createCoupon({
        couponDocumentId: row.documentId,
        name: row.name,
        code: normaliseCode(row.code),
        percentOff: state.percentOff,
        amountOff: state.amountOff,
        currency: state.currency,
        duration: state.duration as CouponDuration,
        durationInMonths: state.durationInMonths,
        expiresAt: state.expiresAt ? Math.floor(new Date(state.expiresAt).getTime() / 1000) : null,
        maxRedemptions: state.maxRedemptions,
        productIds,
        active: state.active,
      });
      const data = { stripeCouponId: created.couponId, stripePromotionCodeId: created.promotionCodeId, syncState: 'synced', syncError: null };
      await record(row.id, data);
      return { ...row, ...data };
    } catch (error) {
      const message =
        error instanceof StripeApiError && error.kind === 'not-configured'
          ? 'STRIPE_SECRET_KEY is not set: the code is created in Stripe once it is.'
          : `Stripe: ${(error as Error).message}`;
      await record(row.id, { syncState: 'error', syncError: message.slice(0, 500) });
      throw error;
    }
  }

  return {
    /** On save (never throws): the outcome is on the row (`syncState`, `syncError`). */
    async sync(documentId: string): Promise<void> {
      const row = await load({ documentId });
      if (!row) return;
      try {
        await push(row);
      } catch (error) {
        strapi.log.warn(`[checkout] coupon ${row.code} not synchronised with Stripe: ${(error as Error).message}`);
      }
    },

    /** After a delete in the admin panel: the code stops working at Stripe too (best effort). */
    async deactivate(promotionCodeId: string): Promise<void> {
      try {
        await stripeApi().setPromotionCodeActive(promotionCodeId, false);
      } catch (error) {
        strapi.log.warn(`[checkout] could not switch off promotion code ${promotionCodeId}: ${(error as Error).message}`);
      }
    },

    /**
     * Whether `code` may be used for `item` now, and the price the learner would pay. Reads
     * Stripe's redemption count (so a limit reached elsewhere counts). Throws StripeApiError when
     * Stripe cannot be asked.
     */
    async check(code: string, item: SellableItem, now = new Date()): Promise<{ ok: true; value: CheckedCode } | { ok: false; refusal: CodeRefusal }> {
      let row = await load({ code: normaliseCode(code) });
      if (!row) return { ok: false, refusal: { reason: 'unknown-code' } };
      if (!row.stripePromotionCodeId) row = await push(row);
      const promotionCodeId = row.stripePromotionCodeId as string;
      const remote = await stripeApi().retrievePromotionCode(promotionCodeId);
      const active = Boolean(row.active) && remote.active;
      if (remote.timesRedeemed !== Number(row.timesRedeemed ?? 0)) await record(row.id, { timesRedeemed: remote.timesRedeemed });
      const decision: CouponDecision = decideCouponApplicability(
        { ...couponState(row), active, timesRedeemed: remote.timesRedeemed },
        { kind: item.kind, documentId: item.documentId, amount: item.spec.amount, currency: item.spec.currency },
        now
      );
      if (!decision.ok) return { ok: false, refusal: { reason: decision.reason, detail: decision.detail } };
      return {
        ok: true,
        value: {
          code: normaliseCode(row.code),
          promotionCodeId,
          amount: item.spec.amount,
          discount: decision.discount,
          total: decision.total,
          currency: decision.currency,
          duration: decision.duration,
          durationInMonths: decision.durationInMonths,
        },
      };
    },

    /** Every coupon with its redemptions (Stripe's count, refreshed when Stripe answers, and our paid orders). */
    async list(): Promise<AdminCoupon[]> {
      const rows = (await query().findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: 500, populate: { courses: { select: ['documentId'] }, plans: { select: ['documentId'] } } })) as CouponRow[];
      const configured = Boolean(readConfig(strapi, 'stripe').secretKey);
      const out: AdminCoupon[] = [];
      for (const row of rows) {
        let timesRedeemed = Number(row.timesRedeemed ?? 0);
        if (configured && row.stripePromotionCodeId) {
          try {
            timesRedeemed = (await stripeApi().retrievePromotionCode(row.stripePromotionCodeId)).timesRedeemed;
            if (timesRedeemed !== Number(row.timesRedeemed ?? 0)) await record(row.id, { timesRedeemed });
          } catch {
            // Stripe unreachable: the last count we saw.
          }
        }
        const code = normaliseCode(row.code);
        const paidOrders = Number(await strapi.db.query(ORDER_UID).count({ where: { promotionCode: code, state: 'paid' } }));
        const s = couponState(row);
        out.push({
          id: row.documentId,
          name: row.name,
          code,
          discount: s.percentOff !== null ? `${s.percentOff} %` : formatAmount(s.amountOff ?? 0, s.currency ?? 'usd'),
          duration: s.duration,
          durationInMonths: s.durationInMonths,
          expiresAt: s.expiresAt,
          maxRedemptions: s.maxRedemptions,
          courses: [...s.courses],
          plans: [...s.plans],
          active: s.active,
          timesRedeemed,
          paidOrders,
          syncState: row.syncState === 'synced' ? 'synced' : 'error',
          syncError: row.syncError ?? null,
        });
      }
      return out;
    },
  };
};

/** A coupon as the admin API lists it. */
export interface AdminCoupon {
  id: string;
  name: string;
  code: string;
  discount: string;
  duration: string;
  durationInMonths: number | null;
  expiresAt: string | null;
  maxRedemptions: number | null;
  courses: string[];
  plans: string[];
  active: boolean;
  /** Stripe's redemption count of the promotion code. */
  timesRedeemed: number;
  /** Our paid orders that used the code. */
  paidOrders: number;
  syncState: 'synced' | 'error';
  syncError: string | null;
}
