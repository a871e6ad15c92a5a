/**
 * The platform's price list in Stripe. A course's or plan's price is what the editor saved; this
 * service makes Stripe agree: one Product per item, the Price matching the saved amount, currency
 * and period active, every other Price of the item archived (domain/catalogue.ts decides the
 * rotation). Nobody types a price id.
 *
 * When it runs:
 *   - on save (catalogue-hooks.ts, after the Document Service's transaction has committed), so that
 *     editors see the result in the "Stripe catalogue" list at once — `synced`, or `error` with the
 *     reason (STRIPE_SECRET_KEY is not set, Stripe unreachable…). A failure never fails the save;
 *   - lazily at checkout (`priceFor`): a session is only ever created at a Price matching the
 *     amount the learner was shown; a save that could not reach Stripe is repaired here.
 * Every Price ever created is kept (`checkout_stripe_prices`), so a subscription renewing at an
 * archived Price is still recognised as its plan.
 */
import type { Core } from '@strapi/strapi';
import { COURSE_UID, PLAN_UID, insertIgnoringConflict, selectRow, updateRow, type RowValue } from '@kp/platform';
import { CATALOGUE_ITEM_UID, STRIPE_PRICE_UID } from '../content-types';
import { billingPeriod, itemKey, matchesSpec, planCurrencyRotations, type PriceSpec, type RotationPlan, type StoredPrice } from '../domain/catalogue';
import { offeredPrices } from '../domain/currencies';
import { readConfig } from '../config';
import { getService } from '../utils';
import { StripeApiError } from './stripe-api';

export type CatalogueKind = 'course' | 'plan';

/** What an item sells for, read from the course (published) or plan (default locale). */
export interface SellableItem {
  kind: CatalogueKind;
  documentId: string;
  title: string;
  /** The Price sold at in this checkout: the default currency's, or the currency picked (`inCurrency`). */
  spec: PriceSpec;
  /** Every Price the item is offered at, one per currency, the default first (a plan: its one spec). */
  offered: PriceSpec[];
}

/** The item sold in `currency` (one of its offered specs), or null when it is not offered in it. */
export function inCurrency(item: SellableItem, currency: string): SellableItem | null {
  const spec = item.offered.find((s) => s.currency === currency.toLowerCase());
  return spec ? { kind: item.kind, documentId: item.documentId, title: item.title, spec, offered: item.offered } : null;
}

/** The result of a synchronisation, as editors see it on the catalogue row. */
export type SyncResult =
  | { state: 'synced'; stripePriceId: string; stripeProductId: string }
  | { state: 'error'; error: string }
  | { state: 'skipped'; reason: string };

const DEFAULT_LOCALE = 'en';

interface PriceRow {
  id: number;
  stripePriceId: string;
  stripeProductId: string;
  amount: number;
  currency: string;
  interval: string | null;
  intervalCount: number | null;
  active: boolean | number;
}

function stored(row: PriceRow): StoredPrice {
  return {
    stripePriceId: row.stripePriceId,
    amount: Number(row.amount),
    currency: row.currency,
    interval: row.interval ?? null,
    intervalCount: row.intervalCount === null || row.intervalCount === undefined ? null : Number(row.intervalCount),
    active: Boolean(row.active),
  };
}

/** The message an editor reads on the catalogue row. */
function describeFailure(error: unknown): string {
  if (error instanceof StripeApiError) {
    if (error.kind === 'not-configured') return 'STRIPE_SECRET_KEY is not set: prices are created in Stripe once it is.';
    if (error.kind === 'unavailable' || error.kind === 'rate-limit') return `Stripe could not be reached (${error.message}); retried at the next save or checkout.`;
    return `Stripe refused (${error.kind}${error.stripeCode ? `, ${error.stripeCode}` : ''}): ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const stripeApi = () => getService(strapi, 'stripe-api');

  /** The course as published, if it is sold on its own (access `paid`). */
  async function sellableCourse(documentId: string): Promise<SellableItem | null> {
    const rows = (await strapi.db.query(COURSE_UID).findMany({
      where: { documentId, publishedAt: { $notNull: true } },
      select: ['title', 'access', 'price', 'currency', 'locale'],
      populate: { extraPrices: { select: ['currency', 'amount'] } },
    })) as Array<{ title: string; access: string; price: number; currency: string; locale: string | null; extraPrices?: Array<{ currency: string; amount: number }> | null }>;
    const row = rows.find((r) => r.locale === DEFAULT_LOCALE) ?? rows[0];
    if (!row || row.access !== 'paid' || !(Number(row.price) > 0)) return null;
    const offered: PriceSpec[] = offeredPrices(row).map((p) => ({ amount: p.amount, currency: p.currency, recurring: null }));
    const spec = offered[0] ?? { amount: Number(row.price), currency: row.currency.toLowerCase(), recurring: null };
    return { kind: 'course', documentId, title: row.title, spec, offered: offered.length ? offered : [spec] };
  }

  async function sellablePlan(documentId: string): Promise<SellableItem | null> {
    const rows = (await strapi.db.query(PLAN_UID).findMany({
      where: { documentId },
      select: ['name', 'interval', 'price', 'currency', 'locale'],
    })) as Array<{ name: string; interval: string; price: number; currency: string; locale: string | null }>;
    const row = rows.find((r) => r.locale === DEFAULT_LOCALE) ?? rows[0];
    const recurring = row ? billingPeriod(row.interval) : null;
    if (!row || !recurring || !(Number(row.price) > 0)) return null;
    const spec: PriceSpec = { amount: Number(row.price), currency: row.currency.toLowerCase(), recurring };
    return { kind: 'plan', documentId, title: row.name, spec, offered: [spec] };
  }

  async function pricesOf(key: string): Promise<PriceRow[]> {
    return (await strapi.db.query(STRIPE_PRICE_UID).findMany({ where: { itemKey: key }, orderBy: { id: 'asc' } })) as PriceRow[];
  }

  /** The catalogue row of an item, created on first use (one per item: unique index on itemKey). */
  async function itemRowId(item: SellableItem): Promise<number> {
    const key = itemKey(item.kind, item.documentId);
    await insertIgnoringConflict(
      strapi,
      CATALOGUE_ITEM_UID,
      { itemKey: key, kind: item.kind, itemDocumentId: item.documentId, title: item.title.slice(0, 255), syncState: 'error', syncError: 'not synchronised yet' },
      'itemKey',
      new Date()
    );
    const row = await selectRow(strapi, CATALOGUE_ITEM_UID, { attribute: 'itemKey', value: key }, ['id']);
    if (!row) throw new Error(`catalogue row ${key} vanished after insert`);
    return Number(row.id);
  }

  async function record(rowId: number, data: Record<string, RowValue>): Promise<void> {
    await updateRow(strapi, CATALOGUE_ITEM_UID, rowId, data, new Date());
  }

  /** Applies one currency's rotation (keep, reactivate or create) and returns the Price sold at. */
  async function applyRotation(key: string, item: SellableItem, productId: string, spec: PriceSpec, rotation: RotationPlan): Promise<string> {
    if (rotation.keep) return rotation.keep;
    if (rotation.reactivate) {
      await stripeApi().setPriceActive(rotation.reactivate, true);
      await strapi.db.query(STRIPE_PRICE_UID).updateMany({ where: { stripePriceId: rotation.reactivate }, data: { active: true, archivedAt: null } });
      return rotation.reactivate;
    }
    const priceId = (await stripeApi().createPrice({ productId, amount: spec.amount, currency: spec.currency, recurring: spec.recurring, metadata: { itemKey: key } })).id;
    // Two concurrent syncs got the same Price from Stripe (same idempotency key): one row.
    await insertIgnoringConflict(
      strapi,
      STRIPE_PRICE_UID,
      {
        itemKey: key,
        kind: item.kind,
        itemDocumentId: item.documentId,
        stripePriceId: priceId,
        stripeProductId: productId,
        amount: spec.amount,
        currency: spec.currency,
        interval: spec.recurring?.interval ?? null,
        intervalCount: spec.recurring?.intervalCount ?? null,
        active: true,
      },
      'stripePriceId',
      new Date()
    );
    return priceId;
  }

  /**
   * Makes Stripe sell `item` at its spec and returns the Price to sell at. Throws StripeApiError
   * (after recording it on the catalogue row) when Stripe cannot be used.
   */
  async function ensure(item: SellableItem): Promise<{ stripePriceId: string; stripeProductId: string }> {
    const key = itemKey(item.kind, item.documentId);
    const rowId = await itemRowId(item);
    try {
      const current = await selectRow(strapi, CATALOGUE_ITEM_UID, { attribute: 'itemKey', value: key }, ['stripeProductId', 'title']);
      let productId = current?.stripeProductId ? String(current.stripeProductId) : null;
      if (!productId) {
        productId = (await stripeApi().createProduct({ itemKey: key, name: item.title, metadata: { kind: item.kind, documentId: item.documentId } })).id;
        await record(rowId, { stripeProductId: productId });
      } else if (current?.title !== item.title) {
        await stripeApi().renameProduct(productId, item.title);
      }

      const prices = await pricesOf(key);
      const offered = item.offered.some((o) => o.currency === item.spec.currency) ? item.offered : [item.spec];
      const { rotations, archiveDropped } = planCurrencyRotations(offered, prices.map(stored));
      const sold = new Map<string, string>();
      for (const { spec, plan } of rotations) sold.set(spec.currency, await applyRotation(key, item, productId, spec, plan));
      const priceId = sold.get(item.spec.currency) as string;
      const archive = rotations.flatMap((r) => r.plan.archive).concat(archiveDropped);
      // Archived after the new one is active, so that the item is never without a Price.
      for (const old of archive) {
        await stripeApi().setPriceActive(old, false);
        await strapi.db.query(STRIPE_PRICE_UID).updateMany({ where: { stripePriceId: old }, data: { active: false, archivedAt: new Date() } });
      }
      // The catalogue row shows the default currency's Price; the others are in checkout_stripe_prices.
      const base = offered[0] ?? item.spec;
      await record(rowId, {
        title: item.title.slice(0, 255),
        stripePriceId: sold.get(base.currency) ?? priceId,
        amount: base.amount,
        currency: base.currency,
        interval: base.recurring?.interval ?? null,
        intervalCount: base.recurring?.intervalCount ?? null,
        syncState: 'synced',
        syncError: null,
        syncedAt: new Date(),
      });
      return { stripePriceId: priceId, stripeProductId: productId };
    } catch (error) {
      await record(rowId, { syncState: 'error', syncError: describeFailure(error).slice(0, 500) });
      throw error;
    }
  }

  async function sellable(kind: CatalogueKind, documentId: string): Promise<SellableItem | null> {
    return kind === 'course' ? sellableCourse(documentId) : sellablePlan(documentId);
  }

  return {
    sellable,

    /**
     * On save: brings Stripe in line with the item, never throws (the outcome is recorded on the
     * catalogue row). Items not sold on their own (free or subscription-only courses, drafts, a
     * zero price) are skipped.
     */
    async sync(kind: CatalogueKind, documentId: string): Promise<SyncResult> {
      const item = await sellable(kind, documentId);
      if (!item) return { state: 'skipped', reason: 'not sold on its own' };
      try {
        if (!readConfig(strapi, 'stripe').secretKey) throw new StripeApiError('not-configured', 'STRIPE_SECRET_KEY is not set');
        return { state: 'synced', ...(await ensure(item)) };
      } catch (error) {
        if (!(error instanceof StripeApiError)) {
          strapi.log.error(`[checkout] price sync of ${kind} ${documentId} failed: ${(error as Error).message}`);
          return { state: 'error', error: describeFailure(error) };
        }
        if (error.kind === 'not-configured') await record(await itemRowId(item), { syncState: 'error', syncError: describeFailure(error) });
        else strapi.log.warn(`[checkout] price sync of ${kind} ${documentId}: ${describeFailure(error)}`);
        return { state: 'error', error: describeFailure(error) };
      }
    },

    /**
     * At checkout: the Stripe Price for exactly this spec (one indexed read when the catalogue is
     * already in step; otherwise the rotation runs now). Throws StripeApiError.
     */
    async priceFor(item: SellableItem): Promise<string> {
      const key = itemKey(item.kind, item.documentId);
      const row = (await selectRow(strapi, CATALOGUE_ITEM_UID, { attribute: 'itemKey', value: key }, ['stripePriceId', 'amount', 'currency', 'interval', 'intervalCount', 'syncState', 'title'])) as Record<string, RowValue> | null;
      if (row && row.syncState === 'synced' && row.stripePriceId && row.title === item.title) {
        const current: StoredPrice = {
          stripePriceId: String(row.stripePriceId),
          amount: Number(row.amount),
          currency: String(row.currency),
          interval: row.interval === null ? null : String(row.interval),
          intervalCount: row.intervalCount === null ? null : Number(row.intervalCount),
          active: true,
        };
        if (matchesSpec(current, item.spec)) return current.stripePriceId;
      }
      if (row && row.syncState === 'synced' && row.title === item.title && row.currency !== item.spec.currency) {
        // Another currency than the default: its active Price, if the last sync made it.
        const others = (await strapi.db.query(STRIPE_PRICE_UID).findMany({ where: { itemKey: key, currency: item.spec.currency, active: true }, limit: 2 })) as PriceRow[];
        const current = others.length === 1 ? stored(others[0] as PriceRow) : null;
        if (current && matchesSpec(current, item.spec)) return current.stripePriceId;
      }
      return (await ensure(item)).stripePriceId;
    },

    /** The Stripe Product of an item (created if needed), for coupons restricted to it. */
    async productFor(kind: CatalogueKind, documentId: string): Promise<string | null> {
      const key = itemKey(kind, documentId);
      const row = await selectRow(strapi, CATALOGUE_ITEM_UID, { attribute: 'itemKey', value: key }, ['stripeProductId']);
      if (row?.stripeProductId) return String(row.stripeProductId);
      const item = await sellable(kind, documentId);
      if (!item) return null;
      return (await ensure(item)).stripeProductId;
    },

    /** The plan a Stripe Price (current or archived) was created for. */
    async planForStripePrice(stripePriceId: string): Promise<string | null> {
      const row = await selectRow(strapi, STRIPE_PRICE_UID, { attribute: 'stripePriceId', value: stripePriceId }, ['kind', 'itemDocumentId']);
      return row && row.kind === 'plan' ? String(row.itemDocumentId) : null;
    },
  };
};
