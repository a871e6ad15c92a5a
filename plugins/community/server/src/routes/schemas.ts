/**
 * The zod schemas of this plugin's routes: what each accepts (the kernel's validation middleware
 * answers 400 from them before a handler runs) and the shape of each 200/201 body.
 */
import { z } from 'zod';
import { documentIdSchema, localeSchema, paginationMetaSchema, paginationSchema, rowIdSchema } from '@kp/platform';
import { LIMITS, POST_KINDS, REPORT_REASONS } from '../constants';

const isoDate = z.iso.datetime().meta({ example: '2026-12-02T10:00:00.000Z' });

/** Plain text of at most `max` characters (after trimming), at least `min`. */
const plainText = (max: number, min: number = LIMITS.minPost, what = 'text') =>
  z
    .string({ error: `${what} must be text` })
    .transform((s) => s.trim())
    .pipe(z.string().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`))
    .meta({ description: `Plain text (no HTML or markdown is interpreted), ${min}–${max} characters` });

/** `{ data: … }` alone is read as its content (the shape Strapi's own routes take). */
const unwrapData = (raw: unknown): unknown =>
  raw && typeof raw === 'object' && !Array.isArray(raw) && 'data' in raw && Object.keys(raw).length === 1 ? (raw as { data: unknown }).data : raw;

const stars = z.number({ error: 'must be a whole number from 1 to 5' }).int('must be a whole number from 1 to 5').min(1, 'must be at least 1').max(5, 'must be at most 5').meta({ example: 5 });

export const courseParams = z.object({ documentId: documentIdSchema.meta({ description: 'documentId of the course', example: 'k3m9x0c2v5b8n1q4w7e6r5t4' }) });
export const reviewParams = courseParams.extend({ id: rowIdSchema.meta({ description: 'id of the review', example: 1 }) });
export const questionParams = z.object({ id: rowIdSchema.meta({ description: 'id of the question', example: 1 }) });

export const createReviewBody = z.preprocess(
  unwrapData,
  z.strictObject({ stars, text: plainText(LIMITS.reviewText, 0).nullable().optional() }, { error: (i) => (i.code === 'invalid_type' ? 'send a JSON object { stars, text? }' : undefined) })
);
export const updateReviewBody = z.preprocess(
  unwrapData,
  z
    .strictObject({ stars: stars.optional(), text: plainText(LIMITS.reviewText, 0).nullable().optional() }, { error: (i) => (i.code === 'invalid_type' ? 'send a JSON object { stars?, text? }' : undefined) })
    .refine((v) => v.stars !== undefined || v.text !== undefined, { message: 'send `stars`, `text`, or both' })
);
export const replyBody = z.preprocess(unwrapData, z.strictObject({ text: plainText(LIMITS.reply, 1) }));
export const questionBody = z.preprocess(
  unwrapData,
  z.strictObject({
    text: plainText(LIMITS.question),
    chapter: documentIdSchema.optional().meta({ description: 'documentId of the chapter the question is about; absent: the whole course' }),
  })
);
export const answerBody = z.preprocess(
  unwrapData,
  z.strictObject({
    text: plainText(LIMITS.answer),
    parentAnswerId: rowIdSchema.optional().meta({ description: 'Reply to this top-level answer (one level of threading)' }),
  })
);
export const acceptBody = z.preprocess(unwrapData, z.strictObject({ answerId: rowIdSchema.nullable().meta({ description: 'The accepted answer; null withdraws the acceptance' }) }));
export const reportBody = z.preprocess(
  unwrapData,
  z.strictObject({
    targetType: z.enum(POST_KINDS, { error: `must be one of ${POST_KINDS.join(', ')}` }),
    targetId: rowIdSchema,
    reason: z.enum(REPORT_REASONS, { error: `must be one of ${REPORT_REASONS.join(', ')}` }),
    note: plainText(LIMITS.reason, 0).optional(),
  })
);

const page = paginationSchema(50, 10);
export const reviewListQuery = z.object({ ...page, sort: z.enum(['newest', 'highest', 'lowest'], { error: 'must be newest, highest or lowest' }).default('newest') });
export const questionListQuery = z.object({ ...page, chapter: documentIdSchema.optional().meta({ description: 'Only the questions on this chapter' }) });
export const pageQuery = z.object({ ...page });
export const coursesQuery = z.object({
  ...paginationSchema(100, 25),
  sort: z
    .enum(['rating:desc', 'rating:asc', 'ratingCount:desc'], { error: 'must be rating:desc, rating:asc or ratingCount:desc' })
    .default('rating:desc')
    .meta({ description: 'rating:desc (best first), rating:asc, ratingCount:desc (most rated first); unrated courses come last' }),
  minRating: z.coerce.number({ error: 'must be a number' }).min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5').optional().meta({ description: 'Only courses whose average is at least this' }),
  locale: localeSchema.default('en'),
});

const histogram = z.strictObject({ '1': z.number().int(), '2': z.number().int(), '3': z.number().int(), '4': z.number().int(), '5': z.number().int() });
export const ratingSchema = z
  .strictObject({ average: z.number().nullable(), count: z.number().int().min(0), histogram })
  .meta({ description: 'Visible, non-refunded reviews of the course: mean stars (two decimals, null when unrated), how many, per-star counts' });

const author = z.strictObject({ name: z.string() });
export const reviewSchema = z.strictObject({
  id: z.number().int(),
  stars: z.number().int(),
  text: z.string().nullable(),
  author,
  reply: z.strictObject({ text: z.string(), repliedAt: isoDate.nullable() }).nullable(),
  refunded: z.boolean().meta({ description: 'The author’s purchase was refunded: shown, not counted in the average' }),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export const ownReviewSchema = reviewSchema.extend({
  courseDocumentId: z.string(),
  state: z.enum(['visible', 'hidden']),
  hiddenReason: z.string().nullable().meta({ description: 'Why an editor hid it (the author’s own view only)' }),
});

const refusalReason = z.enum(['anonymous', 'blocked', 'own-course', 'no-access', 'access-revoked', 'no-progress', 'not-found']);

export const reviewListResponse = z.strictObject({
  data: z.array(reviewSchema),
  meta: z.strictObject({ pagination: paginationMetaSchema, rating: ratingSchema }),
});
export const reviewResponse = z.strictObject({ data: ownReviewSchema, meta: z.strictObject({ rating: ratingSchema }).optional() });
export const mineResponse = z.strictObject({
  data: ownReviewSchema.nullable(),
  meta: z.strictObject({ eligible: z.boolean(), reason: refusalReason.nullable(), message: z.string().nullable() }),
});
export const deletedResponse = z.strictObject({ data: z.strictObject({ id: z.number().int(), deleted: z.literal(true) }), meta: z.strictObject({ rating: ratingSchema }) });

const answerBase = { id: z.number().int(), text: z.string(), author, byInstructor: z.boolean(), accepted: z.boolean(), createdAt: isoDate };
const replySchema = z.strictObject({ ...answerBase, replies: z.array(z.unknown()).max(0).meta({ description: 'Always empty: replies are one level deep' }) });
export const answerSchema = z.strictObject({ ...answerBase, replies: z.array(replySchema) });
export const questionSchema = z.strictObject({
  id: z.number().int(),
  courseDocumentId: z.string(),
  chapterDocumentId: z.string().nullable(),
  text: z.string(),
  author,
  acceptedAnswerId: z.number().int().nullable(),
  answerCount: z.number().int(),
  createdAt: isoDate,
  answers: z.array(answerSchema),
});
export const questionListResponse = z.strictObject({ data: z.array(questionSchema), meta: z.strictObject({ pagination: paginationMetaSchema }) });
export const questionResponse = z.strictObject({ data: questionSchema });
export const answerResponse = z.strictObject({ data: answerSchema });

export const coursesResponse = z.strictObject({
  data: z.array(z.strictObject({ documentId: z.string(), slug: z.string().nullable(), title: z.string().nullable(), rating: ratingSchema })),
  meta: z.strictObject({ pagination: paginationMetaSchema, sort: z.string() }),
});

export const reportResponse = z.strictObject({ data: z.strictObject({ id: z.number().int(), created: z.boolean().meta({ description: 'false when the caller had already reported it' }) }) });

export const myPostsResponse = z.strictObject({
  data: z.strictObject({
    reviews: z.array(ownReviewSchema),
    questions: z.array(z.strictObject({ id: z.number().int(), courseDocumentId: z.string(), chapterDocumentId: z.string().nullable(), text: z.string(), state: z.enum(['visible', 'hidden']), hiddenReason: z.string().nullable(), createdAt: isoDate })),
    answers: z.array(z.strictObject({ id: z.number().int(), questionId: z.number().int(), text: z.string(), state: z.enum(['visible', 'hidden']), hiddenReason: z.string().nullable(), createdAt: isoDate })),
  }),
});

// Admin API
export const itemsQuery = z.object({
  ...paginationSchema(100, 20),
  filter: z.enum(['reported', 'recent', 'hidden'], { error: 'must be reported, recent or hidden' }).default('reported'),
  kind: z.enum(['all', ...POST_KINDS], { error: 'must be all, review, question or answer' }).default('all'),
});
export const moderateParams = z.object({ kind: z.enum(POST_KINDS, { error: `must be one of ${POST_KINDS.join(', ')}` }), id: rowIdSchema });
export const hideBody = z.preprocess(unwrapData, z.strictObject({ reason: plainText(LIMITS.reason, 3, 'reason') }));
export const userParams = z.object({ userId: rowIdSchema });
export const blockBody = z.preprocess(unwrapData, z.strictObject({ reason: plainText(LIMITS.reason, 0, 'reason').optional() }));

export const itemSchema = z.strictObject({
  kind: z.enum(POST_KINDS),
  id: z.number().int(),
  text: z.string().nullable(),
  stars: z.number().int().nullable(),
  courseDocumentId: z.string().nullable(),
  chapterDocumentId: z.string().nullable(),
  questionId: z.number().int().nullable(),
  author: z.strictObject({ userId: z.number().int(), name: z.string().nullable(), blocked: z.boolean() }),
  state: z.enum(['visible', 'hidden']),
  hiddenReason: z.string().nullable(),
  openReports: z.number().int(),
  createdAt: isoDate,
});
export const itemsResponse = z.strictObject({ data: z.array(itemSchema), meta: z.strictObject({ pagination: paginationMetaSchema }) });
export const moderateResponse = z.strictObject({ data: itemSchema, meta: z.strictObject({ changed: z.boolean() }) });
export const blockResponse = z.strictObject({ data: z.strictObject({ userId: z.number().int(), blocked: z.boolean() }), meta: z.strictObject({ changed: z.boolean() }) });
export const eventsResponse = z.strictObject({
  data: z.array(
    z.strictObject({
      id: z.number().int(),
      action: z.string(),
      targetType: z.string(),
      targetId: z.number().int(),
      adminId: z.number().int().nullable(),
      adminName: z.string().nullable(),
      reason: z.string().nullable(),
      createdAt: isoDate,
    })
  ),
  meta: z.strictObject({ pagination: paginationMetaSchema }),
});
