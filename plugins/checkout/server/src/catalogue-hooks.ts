/**
 * What happens when an editor saves a course, a plan or a coupon (a Document Service middleware,
 * so the Content Manager, the REST API and scripts all go through it):
 *   - course / plan: after the save, its Stripe Product and Price are brought in line
 *     (services/catalogue.ts). After the Document Service's own transaction has committed — or,
 *     when the caller holds an outer transaction, once that commits — so Stripe is never asked
 *     about a price that then rolls back, and a slow Stripe holds no database lock. A failure is
 *     recorded on the "Stripe catalogue" row, never a failed save;
 *   - coupon: the terms are checked before the write (400 naming each problem), fixed terms of a
 *     coupon already in Stripe are refused (Stripe cannot change them), Stripe-managed fields are
 *     dropped from the input, and the Coupon / Promotion Code is created after the save.
 */
import type { Core } from '@strapi/strapi';
import { COURSE_UID, PLAN_UID, httpError, isDocumentWrite, transactionHooks, useDocumentMiddleware, type DocumentMiddleware } from '@kp/platform';
import { COUPON_UID } from './content-types';
import { checkCouponTerms, normaliseCode, type CouponTerms } from './domain/coupons';
import { checkExtraPrices, type ExtraPriceInput } from './domain/currencies';
import { couponState, type CouponRow } from './services/coupons';
import { getService } from './utils';

/** Written by the plugin from Stripe's answers; never from an editor's input. */
export const COUPON_MANAGED_FIELDS = ['stripeCouponId', 'stripePromotionCodeId', 'timesRedeemed', 'syncState', 'syncError'] as const;
/** What Stripe fixes once the Coupon exists. */
const COUPON_FIXED_SCALARS = ['code', 'percentOff', 'amountOff', 'currency', 'duration', 'durationInMonths', 'expiresAt', 'maxRedemptions'] as const;

type Data = Record<string, unknown>;

function documentIdOf(params: Data, result: unknown): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const r = result as { documentId?: unknown } | null;
  return r && typeof r.documentId === 'string' ? r.documentId : null;
}

/** Runs after the caller's transaction commits, or now when there is none. */
async function afterCommit(fn: () => Promise<void>): Promise<void> {
  const hooks = transactionHooks();
  if (hooks) hooks.onCommit(() => void fn());
  else await fn();
}

/** Whether a relation input changes anything (`connect`/`disconnect`/`set`, or a list). */
function relationChanges(value: unknown, current: readonly string[]): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) {
    const ids = value.map((v) => (typeof v === 'string' ? v : (v as { documentId?: string }).documentId ?? String((v as { id?: unknown }).id)));
    return [...ids].sort().join(',') !== [...current].sort().join(',');
  }
  if (value && typeof value === 'object') {
    const v = value as { connect?: unknown[]; disconnect?: unknown[]; set?: unknown[] };
    return Boolean(v.connect?.length || v.disconnect?.length || v.set !== undefined);
  }
  return false;
}

function termsOf(data: Data, base: CouponTerms | null): CouponTerms {
  const pick = <K extends keyof CouponTerms>(key: K): CouponTerms[K] => (key in data ? (data[key] as CouponTerms[K]) : base ? base[key] : (null as CouponTerms[K]));
  const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
  return {
    code: String(pick('code') ?? ''),
    percentOff: num(pick('percentOff')),
    amountOff: num(pick('amountOff')),
    currency: (pick('currency') as string | null) || null,
    duration: String(pick('duration') ?? 'once'),
    durationInMonths: num(pick('durationInMonths')),
    expiresAt: pick('expiresAt') ? new Date(String(pick('expiresAt'))).toISOString() : null,
    maxRedemptions: num(pick('maxRedemptions')),
    courses: base?.courses ?? [],
    plans: base?.plans ?? [],
  };
}

export function registerCatalogueHooks(strapi: Core.Strapi): void {
  /**
   * A course's extra prices, checked before the write against the default currency (the one
   * saved now, or the stored one when only one of the two changes): 400 naming each problem.
   */
  async function checkCourseWrite(action: string, params: Data): Promise<void> {
    if (action !== 'create' && action !== 'update') return;
    const data = (params.data ?? {}) as Data;
    if (!('extraPrices' in data) && !('currency' in data)) return;
    let currency = typeof data.currency === 'string' ? data.currency : null;
    let extras = Array.isArray(data.extraPrices) ? (data.extraPrices as ExtraPriceInput[]) : null;
    if (data.extraPrices !== undefined && data.extraPrices !== null && !Array.isArray(data.extraPrices)) {
      throw httpError(400, 'Invalid course prices: extraPrices must be a list of { currency, amount }', { problems: ['extraPrices: must be a list'] });
    }
    const documentId = action === 'update' && typeof params.documentId === 'string' ? params.documentId : null;
    if (documentId && (currency === null || extras === null)) {
      const stored = (await strapi.db.query(COURSE_UID).findOne({ where: { documentId }, select: ['currency'], populate: { extraPrices: { select: ['currency', 'amount'] } } })) as {
        currency: string;
        extraPrices?: ExtraPriceInput[] | null;
      } | null;
      currency = currency ?? stored?.currency ?? null;
      extras = extras ?? stored?.extraPrices ?? [];
    }
    const problems = checkExtraPrices(currency ?? 'usd', extras ?? []);
    if (problems.length) throw httpError(400, `Invalid course prices: ${problems.join('; ')}`, { problems });
  }

  const priced: DocumentMiddleware = async (context, next) => {
    if (context.uid !== COURSE_UID && context.uid !== PLAN_UID) return next();
    if (!['create', 'update', 'publish'].includes(context.action)) return next();
    if (context.uid === COURSE_UID) await checkCourseWrite(context.action, context.params as Data);
    const result = await next();
    const documentId = documentIdOf(context.params, result);
    if (documentId) {
      const kind = context.uid === COURSE_UID ? 'course' : 'plan';
      await afterCommit(async () => {
        try {
          await getService(strapi, 'catalogue').sync(kind, documentId);
        } catch (error) {
          strapi.log.error(`[checkout] price sync after saving ${kind} ${documentId} failed: ${(error as Error).message}`);
        }
      });
    }
    return result;
  };

  const coupons: DocumentMiddleware = async (context, next) => {
    if (context.uid !== COUPON_UID || !isDocumentWrite(context.action)) return next();
    const params = context.params as Data & { data?: Data };
    const now = new Date();

    if (context.action === 'delete') {
      const documentId = documentIdOf(params, null);
      const row = documentId ? ((await strapi.db.query(COUPON_UID).findOne({ where: { documentId }, select: ['stripePromotionCodeId'] })) as { stripePromotionCodeId: string | null } | null) : null;
      const result = await next();
      if (row?.stripePromotionCodeId) await afterCommit(() => getService(strapi, 'coupons').deactivate(row.stripePromotionCodeId as string));
      return result;
    }
    if (context.action !== 'create' && context.action !== 'update') return next();

    const data: Data = { ...(params.data ?? {}) };
    for (const field of COUPON_MANAGED_FIELDS) delete data[field];
    if (typeof data.code === 'string') data.code = normaliseCode(data.code);

    let existing: CouponRow | null = null;
    if (context.action === 'update') {
      const documentId = documentIdOf(params, null);
      existing = documentId
        ? ((await strapi.db.query(COUPON_UID).findOne({ where: { documentId }, populate: { courses: { select: ['documentId'] }, plans: { select: ['documentId'] } } })) as CouponRow | null)
        : null;
    }
    const base = existing ? couponState(existing) : null;
    const terms = termsOf(data, base);
    const problems = checkCouponTerms(terms, now).filter((p) => !(existing && p.startsWith('expiresAt') && !('expiresAt' in data)));
    if (problems.length) throw httpError(400, `Invalid coupon: ${problems.join('; ')}`, { problems });

    if (existing?.stripeCouponId && base) {
      const changed: string[] = COUPON_FIXED_SCALARS.filter((k) => k in data && JSON.stringify(termsOf({ [k]: data[k] }, base)[k]) !== JSON.stringify(base[k]));
      if (relationChanges(data.courses, base.courses)) changed.push('courses');
      if (relationChanges(data.plans, base.plans)) changed.push('plans');
      if (changed.length) {
        throw httpError(400, `This coupon exists in Stripe, which does not allow changing ${changed.join(', ')}: switch it off and create another. Its name and the active switch can change.`, { fields: changed });
      }
    }
    const code = normaliseCode(terms.code);
    const twin = (await strapi.db.query(COUPON_UID).findOne({ where: { code, ...(existing ? { id: { $ne: existing.id } } : {}) }, select: ['id'] })) as { id: number } | null;
    if (twin) throw httpError(400, `Invalid coupon: code: ${code} is already used by another coupon`, { problems: [`code: ${code} is already used`] });

    context.params = { ...params, data };
    const result = await next();
    const documentId = documentIdOf(params, result);
    if (documentId) await afterCommit(() => getService(strapi, 'coupons').sync(documentId));
    return result;
  };

  useDocumentMiddleware(strapi, priced);
  useDocumentMiddleware(strapi, coupons);
}
