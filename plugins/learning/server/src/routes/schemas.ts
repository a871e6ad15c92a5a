/**
 * The zod schemas of this plugin's routes: what each route accepts (the validation middleware
 * built from them answers 400 before a handler runs) and the exact shape of each 200 body (the
 * controllers' bodies are checked against them by the compiler, the real answers by the tests).
 */
import { z } from 'zod';
import { CERTIFICATE_STATES, documentIdSchema, localeSchema } from '@kp/platform';
import { CODE_PATTERN } from '../domain/certificate';

/** `locale` as a query or body field: a locale code; empty counts as absent (Accept-Language decides). */
export const optionalLocaleSchema = z.preprocess(
  (value) => (value === '' ? undefined : value),
  localeSchema.optional().meta({ description: 'The learner’s locale (one of the configured locales); else Accept-Language, else the default', example: 'zh-Hans' })
);

/** A certificate's verification code (checked before any query: a malformed code is a client error, not a lookup). */
export const certificateCodeSchema = z
  .string({ error: 'must be a certificate code (text)' })
  .regex(CODE_PATTERN, 'must be a certificate code: 24 characters (letters, digits, - and _)')
  .meta({ description: 'The certificate’s verification code', example: 'q7XkR2mZ9vLpW4tYb8NcHd3F' });

/** `{ data: … }` with nothing else is read as its content (the shape Strapi's own routes take). */
const unwrapData = (raw: unknown): unknown =>
  raw && typeof raw === 'object' && !Array.isArray(raw) && 'data' in raw && Object.keys(raw).length === 1 ? (raw as { data: unknown }).data : raw;

/** What a learner may send to POST /api/progress (also accepted wrapped in `{ data: … }`); never a user. */
export const recordBodySchema = z.preprocess(
  unwrapData,
  z
    .strictObject(
      {
        chapter: documentIdSchema.meta({ description: 'documentId of the chapter', example: 'wq1x9v0c3k2m8b7n6j5h4g3f' }),
        completed: z
          .boolean({ error: 'must be true or false' })
          .optional()
          .meta({ description: 'true records the completion (its first date is kept), false clears it; absent leaves it as it is' }),
        position: z
          .number({ error: 'must be a number' })
          .int('must be a whole number')
          .min(0, 'must be 0 or more')
          .max(1_000_000_000, 'is too large')
          .optional()
          .meta({ description: 'Reading or playback position, as the frontend counts it (seconds of video, scroll offset…)', example: 734 }),
        locale: optionalLocaleSchema,
      },
      { error: (issue) => (issue.code === 'invalid_type' ? 'send a JSON object { chapter, completed?, position? }' : undefined) }
    )
    .refine((v) => v.completed !== undefined || v.position !== undefined, {
      message: 'send `completed` (true or false), `position`, or both',
    })
);

export const localeQuerySchema = z.object({ locale: optionalLocaleSchema });

const isoDate = z.iso.datetime().meta({ example: '2026-11-23T10:00:00.000Z' });
const percentage = z.number().int().min(0).max(100);
const count = z.number().int().min(0);

const certificateRefSchema = z.strictObject({
  code: z.string(),
  status: z.enum(CERTIFICATE_STATES),
  completedAt: isoDate,
});

const chapterRefSchema = z.strictObject({
  documentId: z.string(),
  title: z.string().nullable(),
  position: z.number().int(),
});

/** One course as "continue learning" lists it. */
const courseSummarySchema = z.strictObject({
  course: z.strictObject({ documentId: z.string(), slug: z.string().nullable(), title: z.string().nullable() }),
  percentage,
  complete: z.boolean(),
  completedChapters: count,
  requiredChapters: count,
  totalChapters: count,
  lastActivityAt: isoDate.nullable(),
  nextChapter: chapterRefSchema.nullable().meta({ description: 'Where to resume; null when every chapter is done' }),
  certificate: certificateRefSchema.nullable(),
});

const courseDetailSchema = courseSummarySchema.extend({
  chapters: z.array(
    z.strictObject({
      documentId: z.string(),
      title: z.string().nullable(),
      position: z.number().int(),
      optional: z.boolean(),
      isPreview: z.boolean(),
      completed: z.boolean(),
      completedAt: isoDate.nullable(),
      readingPosition: z.number().int().nullable().meta({ description: 'The position the learner last reported' }),
      updatedAt: isoDate.nullable(),
    })
  ),
});

export const recordResponseSchema = z.strictObject({
  data: z.strictObject({
    chapter: z.string(),
    course: z.string(),
    completed: z.boolean(),
    completedAt: isoDate.nullable(),
    position: z.number().int().nullable(),
    updatedAt: isoDate.nullable().meta({ description: 'Last activity on the chapter; null when nothing is stored for it' }),
  }),
  meta: z.strictObject({
    course: z.strictObject({
      documentId: z.string(),
      total: count,
      required: count,
      completedRequired: count,
      completedAll: count,
      percentage,
      complete: z.boolean(),
    }),
    certificate: certificateRefSchema
      .extend({ issued: z.boolean().meta({ description: 'true on the one report that issued it' }) })
      .nullable()
      .meta({ description: 'The course’s certificate once the course is complete and the learner entitled to it' }),
  }),
});

export const courseResponseSchema = z.strictObject({ data: courseDetailSchema, meta: z.strictObject({ locale: z.string() }) });

export const overviewResponseSchema = z.strictObject({
  data: z.array(courseSummarySchema),
  meta: z.strictObject({ total: count, locale: z.string() }),
});

/** What anyone holding the code reads: no user id, no e-mail, no revocation reason. */
const publicCertificateSchema = z.strictObject({
  code: z.string(),
  status: z.enum(CERTIFICATE_STATES),
  learnerName: z.string(),
  course: z.strictObject({ documentId: z.string(), slug: z.string().nullable(), title: z.string() }),
  instructorName: z.string().nullable(),
  language: z.string(),
  completedAt: isoDate,
  issuedAt: isoDate,
  revokedAt: isoDate.nullable(),
});

export const verifyResponseSchema = z.strictObject({ data: publicCertificateSchema });

export const myCertificatesResponseSchema = z.strictObject({
  data: z.array(publicCertificateSchema.extend({ revokedReason: z.string().nullable().meta({ description: 'Why an editor revoked it (the learner’s own view only)' }) })),
  meta: z.strictObject({ total: count }),
});

export const pdfResponseSchema = z.string().meta({ description: 'A one-page A4 PDF', format: 'binary' });
