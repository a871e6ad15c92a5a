/** Schemas of the bundle and gift routes (routes/commerce.ts). */
import { z } from 'zod';
import { dataOf, localeSchema } from '@kp/platform';
import { GIFT_STATES } from '../domain/gifts';

/** `?locale=` of the bundle list (course titles in that locale, else English). */
export const bundlesQuery = z.strictObject({
  locale: localeSchema.optional().meta({ description: 'Locale of the course titles (default en)', example: 'zh-Hans' }),
});

export const bundleViewSchema = z.strictObject({
  id: z.string().meta({ description: 'documentId of the bundle (the `bundle` of POST /api/checkout/sessions)' }),
  title: z.string(),
  slug: z.string(),
  summary: z.string().nullable(),
  price: z.number().int().meta({ description: 'Price in the currency’s minor unit', example: 4900 }),
  currency: z.string().meta({ example: 'usd' }),
  courses: z.array(z.strictObject({ documentId: z.string(), title: z.string() })).meta({ description: 'The published courses a purchase opens' }),
});
export type BundleView = z.output<typeof bundleViewSchema>;

export const bundlesResponse = dataOf(z.array(bundleViewSchema));

/** Body of `POST /api/checkout/gifts/claim`. */
export const claimGiftBody = z.strictObject({
  code: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').meta({ description: 'The claim code the recipient received', example: 'K7Q2-9XMB-4TRD-Z1HP-6WNC' }),
});

export const claimGiftResponse = dataOf(
  z.strictObject({
    title: z.string().meta({ description: 'The course or bundle given' }),
    courses: z.array(z.string()).meta({ description: 'documentIds of the courses now open to the caller' }),
  })
);

/** The gift part of an order, for its buyer (`gift` of the learner's order view). */
export const giftViewSchema = z
  .strictObject({
    recipientEmail: z.string(),
    code: z.string().meta({ description: 'The claim code (also sent to the recipient)' }),
    status: z.enum(GIFT_STATES),
    claimedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ description: 'Present when the order is a gift and has been paid' });
