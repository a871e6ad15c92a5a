/**
 * The review routes' schemas (zod): what each route accepts, validated before its handler runs,
 * and what it answers. The answers the admin UI reads are checked at compile time against the
 * review contract in `@kp/platform` (see the end of this file).
 */
import { z } from 'zod';
import {
  REVIEW_ACTIONS,
  REVIEW_STATES,
  dateInputSchema,
  documentIdSchema,
  localeSchema,
  paginationMetaSchema,
  paginationSchema,
  type ReviewCheck,
  type ReviewCourseOutline,
  type ReviewHistoryEvent,
  type ReviewMedia,
  type ReviewQueueItem,
  type ReviewQueueResponse,
  type ReviewSubmission,
  type ReviewSubmissionDetail,
  type ReviewTransitionResponse,
} from '@kp/platform';
import type { MediaField } from '../services/media';
import type { OwnCourseDetail } from '../services/course-facts';

// ── Requests ────────────────────────────────────────────────────────────────────────────────

export const courseParams = z.object({ documentId: documentIdSchema.meta({ description: 'documentId of the course' }) });

export const courseQuery = z.object({
  locale: localeSchema.optional().meta({ description: 'Locale of the draft to read (default: the default locale)', example: 'zh-Hans' }),
});

const commentSchema = (error: string) => z.string({ error }).max(5000, 'must be at most 5000 characters');

export const approveBody = z.object({
  comment: commentSchema('must be text').optional().meta({ description: 'Optional note for the instructor, kept in the history' }),
});

export const requestChangesBody = z.object({
  comment: commentSchema('is required: tell the instructor what to change (text)').meta({
    description: 'What the instructor should change; at least `minCommentLength` characters after trimming (default 10)',
    example: 'Please add exercises to chapter 2 and say who the course is for.',
  }),
});

const MEDIA_FIELDS = ['cover', 'video', 'attachments'] as const satisfies readonly MediaField[];

export const mediaBody = z.object({
  field: z.enum(MEDIA_FIELDS).meta({ description: '`cover` (an image, on a course), `video` or `attachments` (on a chapter)' }),
  documentId: documentIdSchema.meta({ description: 'documentId of the course (cover) or chapter (video, attachments)' }),
  // `files` (the file itself) is read by the upload plugin from the multipart body, not here.
});

export const queueQuery = z.object({
  state: z
    .enum([...REVIEW_STATES, 'all'])
    .default('in_review')
    .meta({ description: 'Review state to list, or `all`' }),
  instructor: documentIdSchema.optional().meta({ description: 'documentId of an instructor profile' }),
  assignee: z
    .union([z.enum(['me', 'unassigned']), z.coerce.number().int().positive()])
    .optional()
    .meta({ description: '`me`, `unassigned`, or an admin user id', example: 'me' }),
  submittedAfter: dateInputSchema.optional().meta({ description: 'Submitted at or after this time', example: '2026-12-01T00:00:00Z' }),
  submittedBefore: dateInputSchema.optional().meta({ description: 'Submitted at or before this time', example: '2026-12-31T23:59:59Z' }),
  checks: z.enum(['clean', 'warnings']).optional().meta({ description: '`clean`: every check passed; `warnings`: a recommended check failed' }),
  sort: z.enum(['oldest', 'newest']).default('oldest').meta({ description: 'By submission time' }),
  // The page size is capped again by the plugin's `maxPageSize`.
  ...paginationSchema(500, 20),
});

// ── Answers ─────────────────────────────────────────────────────────────────────────────────

const time = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 time', example: '2026-12-01T10:00:00.000Z' });
const stateSchema = z.enum(REVIEW_STATES);
const actionSchema = z.enum(REVIEW_ACTIONS);
const id = z.number().int();

export const checkSchema = z.strictObject({
  id: z.string().meta({ description: 'Check id', example: 'cover' }),
  level: z.enum(['required', 'recommended']),
  passed: z.boolean(),
  message: z.string().meta({ example: 'Add a cover image.' }),
});

const mediaSchema = z.strictObject({ id, name: z.string(), url: z.string(), mime: z.string(), size: z.number().meta({ description: 'Size in KB' }) });

const editorRef = z.strictObject({ id, name: z.string() });
const userRef = z.strictObject({ id, username: z.string() });

export const submissionSchema = z.strictObject({
  id,
  courseDocumentId: z.string(),
  state: stateSchema,
  instructorDocumentId: z.string().nullable(),
  submittedAt: time.nullable(),
  decidedAt: time.nullable(),
  revision: z.number().int().meta({ description: 'How many times the course was submitted' }),
  checks: z.array(checkSchema),
  locales: z.array(z.string()).meta({ description: 'Locales with a draft at the last submission' }),
  warnings: z.number().int().meta({ description: 'Recommended checks that failed at the last submission' }),
  lastComment: z.string().nullable(),
  assignee: editorRef.nullable(),
  submittedBy: userRef.nullable(),
});

export const transitionResponse = z.strictObject({
  data: z.strictObject({
    courseDocumentId: z.string(),
    state: stateSchema,
    changed: z.boolean().meta({ description: 'False when the course already was where the action leads' }),
    submission: submissionSchema.nullable(),
    checks: z.array(checkSchema).optional().meta({ description: 'Every check, when a submission changed the state' }),
  }),
});

const reviewSummary = {
  state: stateSchema,
  submittedAt: time.nullable(),
  decidedAt: time.nullable(),
  lastComment: z.string().nullable().meta({ description: "The editor's last comment" }),
  actions: z.array(actionSchema).meta({ description: 'What the instructor may do from this state' }),
};

export const myCoursesResponse = z.strictObject({
  data: z.array(
    z.strictObject({
      documentId: z.string(),
      slug: z.string().nullable(),
      title: z.string().nullable().meta({ description: 'Title of the draft in the default locale (or any locale)' }),
      titles: z.record(z.string(), z.string()).meta({ description: 'Draft title per locale' }),
      draftLocales: z.array(z.string()),
      publishedLocales: z.array(z.string()),
      live: z.boolean().meta({ description: 'Has a published version' }),
      updatedAt: time.nullable(),
      review: z.strictObject(reviewSummary),
    })
  ),
  meta: z.strictObject({ total: z.number().int() }),
});

/** What both the instructor's draft and the editor's outline show of a chapter. */
const chapterFields = {
  documentId: z.string(),
  title: z.string().nullable(),
  position: z.number().int().nullable(),
  isPreview: z.boolean(),
};

const ownCourseSchema = z.strictObject({
  documentId: z.string(),
  locale: z.string(),
  title: z.string().nullable(),
  slug: z.string().nullable(),
  summary: z.string().nullable(),
  description: z.string().nullable(),
  level: z.string().nullable(),
  access: z.string().nullable(),
  price: z.number().int().nullable().meta({ description: 'Minor units of `currency`' }),
  currency: z.string().nullable(),
  cover: mediaSchema.nullable(),
  tags: z.array(z.strictObject({ documentId: z.string(), name: z.string() })),
  category: z.strictObject({ documentId: z.string(), name: z.string() }).nullable(),
  updatedAt: time.nullable(),
  chapters: z.array(
    z.strictObject({
      ...chapterFields,
      optional: z.boolean(),
      duration: z.number().int().nullable(),
      body: z.string().nullable(),
      video: mediaSchema.nullable(),
      attachments: z.array(mediaSchema),
      live: z.boolean().meta({ description: 'The chapter has a published version' }),
    })
  ),
  draftLocales: z.array(z.string()),
  publishedLocales: z.array(z.string()),
});

export const ownCourseResponse = z.strictObject({
  data: ownCourseSchema.extend({
    review: z.strictObject({ ...reviewSummary, checks: z.array(checkSchema).meta({ description: 'Checks of the last submission' }) }),
  }),
});

export const instructorHistoryResponse = z.strictObject({
  data: z.array(
    z.strictObject({
      action: actionSchema,
      from: stateSchema,
      to: stateSchema,
      // Editors are named by first name and initial; ids of admin users stay inside.
      actor: z.strictObject({ type: z.enum(['instructor', 'editor']), name: z.string().nullable() }),
      comment: z.string().nullable(),
      checks: z.array(checkSchema).nullable(),
      at: time,
    })
  ),
});

export const mediaUploadResponse = z.strictObject({
  data: z.strictObject({
    field: z.enum(MEDIA_FIELDS),
    documentId: z.string(),
    file: z.strictObject({ id, name: z.string(), mime: z.string(), size: z.number(), url: z.string() }),
  }),
});

const historyEventSchema = z.strictObject({
  id,
  courseDocumentId: z.string(),
  action: actionSchema,
  from: stateSchema,
  to: stateSchema,
  actor: z.strictObject({ type: z.enum(['instructor', 'editor']), id, name: z.string().nullable() }),
  comment: z.string().nullable(),
  checks: z.array(checkSchema).nullable(),
  at: time,
});

const queueItemSchema = z.strictObject({
  courseDocumentId: z.string(),
  title: z.string().nullable(),
  slug: z.string().nullable(),
  state: stateSchema,
  instructor: z.strictObject({ documentId: z.string(), name: z.string().nullable() }).nullable(),
  submittedAt: time.nullable(),
  decidedAt: time.nullable(),
  revision: z.number().int(),
  assignee: editorRef.nullable(),
  submittedBy: userRef.nullable(),
  locales: z.array(z.string()),
  live: z.boolean(),
  exists: z.boolean(),
  checks: z.array(checkSchema),
  checksSummary: z.strictObject({ total: z.number().int(), failedRequired: z.number().int(), warnings: z.number().int() }),
  lastComment: z.string().nullable(),
  actions: z.array(actionSchema).meta({ description: 'What an editor may do from this state' }),
  contentManagerPath: z.string().meta({ description: 'The course in the Content Manager, relative to the admin panel' }),
});

export const queueResponse = z.strictObject({
  data: z.array(queueItemSchema),
  meta: z.strictObject({
    pagination: paginationMetaSchema,
    instructors: z.array(z.strictObject({ documentId: z.string(), name: z.string() })),
    settings: z.strictObject({ minCommentLength: z.number().int() }),
  }),
});

const courseOutlineSchema = z.strictObject({
  title: z.string().nullable(),
  summary: z.string().nullable(),
  access: z.string().nullable(),
  price: z.number().int().nullable(),
  currency: z.string().nullable(),
  cover: mediaSchema.nullable(),
  draftLocales: z.array(z.string()),
  publishedLocales: z.array(z.string()),
  chapters: z.array(
    z.strictObject({
      ...chapterFields,
      hasContent: z.boolean().meta({ description: 'A body or a video' }),
      live: z.boolean(),
    })
  ),
});

export const submissionDetailResponse = z.strictObject({
  data: queueItemSchema.extend({ course: courseOutlineSchema.nullable(), history: z.array(historyEventSchema) }),
});

// ── Compile-time: the schemas describe exactly the contract's (and the services') shapes ─────

/** `true` when A and B are assignable both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Out<S extends z.ZodType> = z.output<S>;

const agreements: {
  check: Same<Out<typeof checkSchema>, ReviewCheck>;
  media: Same<Out<typeof mediaSchema>, ReviewMedia>;
  submission: Same<Out<typeof submissionSchema>, ReviewSubmission>;
  transition: Same<Out<typeof transitionResponse>, ReviewTransitionResponse>;
  history: Same<Out<typeof historyEventSchema>, ReviewHistoryEvent>;
  queueItem: Same<Out<typeof queueItemSchema>, ReviewQueueItem>;
  queue: Same<Out<typeof queueResponse>, ReviewQueueResponse>;
  outline: Same<Out<typeof courseOutlineSchema>, ReviewCourseOutline>;
  detail: Same<Out<typeof submissionDetailResponse>['data'], ReviewSubmissionDetail>;
  ownCourse: Same<Out<typeof ownCourseSchema>, OwnCourseDetail>;
} = { check: true, media: true, submission: true, transition: true, history: true, queueItem: true, queue: true, outline: true, detail: true, ownCourse: true };
void agreements;
