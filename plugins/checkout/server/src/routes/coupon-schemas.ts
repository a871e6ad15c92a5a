/**
 * Request and response schemas of the promotion-code routes (learner: check a code before
 * checkout; admin: coupons with their redemptions). See routes/schemas.ts for the conventions.
 */
import { z } from 'zod';
import { documentIdSchema } from '@kp/platform';
import { COUPON_DURATIONS, PROMOTION_CODE_PATTERN } from '../domain/coupons';
import { SUPPORTED_CURRENCIES } from '../domain/money';

/** A promotion code as a learner types it (any case). */
export const promotionCodeSchema = z
  .string({ error: 'must be text' })
  .trim()
  .regex(PROMOTION_CODE_PATTERN, 'must be 3 to 40 letters, digits, "-" or "_"')
  .meta({ description: 'A promotion code (case-insensitive)', example: 'WINTER25' });

/** Body of `POST /api/checkout/promotion-codes/validate`: a code and exactly one of course and plan. */
export const validatePromotionCodeBody = z
  .strictObject({
    code: promotionCodeSchema,
    course: documentIdSchema.optional().meta({ description: 'documentId of the paid course about to be bought' }),
    plan: documentIdSchema.optional().meta({ description: 'documentId of the plan about to be subscribed to' }),
    currency: z
      .enum(SUPPORTED_CURRENCIES)
      .optional()
      .meta({ description: "Course only: the currency the checkout will be in (as POST /sessions `currency`: the default `currency` or one of `extraPrices`); default: the course's default", example: 'eur' }),
  })
  .refine((v) => (v.course ? 1 : 0) + (v.plan ? 1 : 0) === 1, { message: 'give exactly one of "course" or "plan"', path: ['course'] })
  .refine((v) => !(v.currency && !v.course), { message: 'currency applies to a course (plans are sold in their own currency)', path: ['currency'] });
export type ValidatePromotionCodeInput = z.output<typeof validatePromotionCodeBody>;

export const validatePromotionCodeResponse = z.strictObject({
  data: z.strictObject({
    code: z.string().meta({ description: 'The code as Stripe knows it (capitals)', example: 'WINTER25' }),
    amount: z.number().int().meta({ description: 'The price, minor units', example: 1999 }),
    discount: z.number().int().meta({ description: 'What the code takes off, minor units', example: 500 }),
    total: z.number().int().meta({ description: 'What the learner pays (the first period, for a plan), minor units', example: 1499 }),
    currency: z.string().meta({ example: 'usd' }),
    display: z.strictObject({ amount: z.string(), discount: z.string(), total: z.string() }).meta({ description: 'The same, for people' }),
    duration: z.enum(COUPON_DURATIONS).meta({ description: 'For a plan: once (first invoice), repeating (durationInMonths), forever' }),
    durationInMonths: z.number().int().nullable(),
  }),
});

export const adminCouponSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  discount: z.string().meta({ description: '"25 %" or "5.00 USD"' }),
  duration: z.string(),
  durationInMonths: z.number().int().nullable(),
  expiresAt: z.string().nullable(),
  maxRedemptions: z.number().int().nullable(),
  courses: z.array(z.string()).meta({ description: 'Restricted to these courses (documentIds); with plans both empty: any' }),
  plans: z.array(z.string()),
  active: z.boolean(),
  timesRedeemed: z.number().int().meta({ description: 'Stripe’s redemption count of the promotion code' }),
  paidOrders: z.number().int().meta({ description: 'Our paid orders that used the code' }),
  syncState: z.enum(['synced', 'error']),
  syncError: z.string().nullable().meta({ description: 'Why the coupon is not in Stripe (e.g. STRIPE_SECRET_KEY is not set)' }),
});

export const adminCouponsResponse = z.strictObject({ results: z.array(adminCouponSchema) });
