/** Request and response schemas of the paywall's routes (zod): the validators and the OpenAPI document in one. */
import { z } from 'zod';
import { ALLOWED_VIA, DENIED_REASONS, ENTITLEMENT_SOURCES, ENTITLEMENT_STATUSES, dataOf, documentIdSchema, localeSchema, rowIdSchema } from '@kp/platform';

export const courseParamsSchema = z.object({
  documentId: documentIdSchema.meta({ description: 'documentId of the course', example: 'k3m9x0c2v5b8n1q4w7e6r5t4' }),
});

export const localeQuerySchema = z.object({
  locale: localeSchema.optional().meta({ description: 'Locale of the chapter titles (default en)', example: 'en' }),
});

const chapterVerdictSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  position: z.number().int(),
  isPreview: z.boolean(),
  unlocked: z.boolean().meta({ description: 'Whether the caller may read this chapter’s gated content' }),
  unlocksAt: z.string().meta({ format: 'date-time', description: 'When a drip-released chapter opens for the caller (present while it is not open yet)' }).optional(),
});

export const accessResponseSchema = dataOf(
  z.object({
    courseDocumentId: z.string(),
    allowed: z.boolean().meta({ description: 'Whether the caller may read the course’s non-preview chapters' }),
    via: z.enum(ALLOWED_VIA).optional().meta({ description: 'Why it is allowed (present when allowed)' }),
    reason: z.enum(DENIED_REASONS).optional().meta({ description: 'Why it is not (present when not allowed)' }),
    chapters: z.array(chapterVerdictSchema),
  })
);

export const entitlementsResponseSchema = dataOf(
  z.array(
    z.object({
      documentId: z.string(),
      course: z.object({ documentId: z.string() }).nullable(),
      plan: z.object({ documentId: z.string() }).nullable(),
      source: z.enum(ENTITLEMENT_SOURCES),
      status: z.enum(ENTITLEMENT_STATUSES),
      validFrom: z.string().meta({ format: 'date-time' }),
      validUntil: z.string().meta({ format: 'date-time' }).nullable(),
    })
  )
);

const token = (description: string) => z.string().max(200).optional().meta({ description });

export const mediaParamsSchema = z.object({
  fileId: rowIdSchema.meta({ description: 'id of the upload file (a chapter’s video or attachment)', example: 1 }),
});

/** A signed link's claims (`u` or `a`, `e`, `s`), verified by the handler; or a bearer token and `format`. */
export const mediaQuerySchema = z.object({
  format: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/i, 'must be an image format name such as small or thumbnail')
    .optional()
    .meta({ description: 'An image format (thumbnail, small, medium, large) instead of the original' }),
  u: token('Signed link: the reader’s user id (0: anyone)'),
  a: token('Signed link for an editor: the admin user id'),
  e: token('Signed link: expiry, in seconds since the epoch'),
  s: token('Signed link: its signature'),
});

export const mediaResponseSchema = z.string().meta({ description: 'The file’s bytes (Range requests answered 206), or a 302 to a pre-signed S3 URL', format: 'binary' });
