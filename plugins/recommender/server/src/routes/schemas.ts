/**
 * The bodies this plugin's routes answer, as zod schemas: what the route definitions document and
 * what the integration suite validates real responses against. Each is checked both ways against
 * the TypeScript type the code builds (a field added on one side only fails to compile).
 */
import type { IndexStatus } from '@kp/platform';
import { z } from 'zod';
import type { ApiReason } from '../domain/present';
import type { RecommendationList } from '../services/recommendations';

/** Compile-time: A and B describe the same values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const coverFormatSchema = z.strictObject({ url: z.string(), width: z.number().nullable(), height: z.number().nullable() });

const coverSchema = z.strictObject({
  url: z.string(),
  alternativeText: z.string().nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  formats: z.strictObject({ thumbnail: coverFormatSchema.optional(), small: coverFormatSchema.optional() }).meta({ description: 'Only the small renditions a list needs' }),
});

const termLabelSchema = z.strictObject({
  key: z.string().meta({ description: 'The term with its kind: t: tag slug, c: category slug, w: word stem', example: 't:python' }),
  label: z.string().meta({ description: 'The tag or category name in the response locale, or the word as written', example: 'Python' }),
});

const message = z.string().meta({ description: 'Ready to show, in English or (zh-* locales) Simplified Chinese' });

export const reasonSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('shared-terms'), terms: z.array(termLabelSchema), message }),
  z.strictObject({
    type: z.literal('also-took'),
    course: z.strictObject({ documentId: z.string(), title: z.string(), slug: z.string() }).meta({ description: 'The course of the history that contributes most' }),
    message,
  }),
  z.strictObject({ type: z.literal('popular'), message }),
  z.strictObject({ type: z.literal('segment'), segment: z.number().int(), terms: z.array(termLabelSchema), message }),
  z.strictObject({
    type: z.literal('rated'),
    average: z.number().min(1).max(5).meta({ description: 'Mean stars of the course’s counted reviews (community), two decimals', example: 4.75 }),
    count: z.number().int().min(1).meta({ description: 'Learners who rated it (at least RECOMMENDER_RATED_REASON_MIN_COUNT)', example: 120 }),
    message,
  }),
]);

const recommendedCourseSchema = z.strictObject({
  documentId: z.string(),
  locale: z.string().meta({ description: 'The locale this course is shown in: the requested one when published in it, else the default, else any' }),
  title: z.string(),
  slug: z.string(),
  summary: z.string().nullable(),
  level: z.string().nullable(),
  access: z.string().nullable(),
  price: z.number().int().nullable().meta({ description: 'In minor units of `currency`' }),
  currency: z.string().nullable(),
  cover: coverSchema.nullable(),
  score: z.number().min(-1).max(1).meta({ description: 'The blended score, rounded to 4 decimals; below 0 when the course resembles ones the learner rated low' }),
  reasons: z.array(reasonSchema).meta({ description: 'Why the course is in the list, strongest first' }),
});

export const recommendationListSchema = z.strictObject({
  data: z.array(recommendedCourseSchema),
  meta: z.strictObject({
    kind: z.enum(['personal', 'cold-start', 'similar']),
    locale: z.string(),
    limit: z.number().int(),
    index: z.enum(['empty', 'building', 'ready', 'failed']).meta({ description: "State of this instance's index" }),
  }),
});

export const eventResponseSchema = z.strictObject({
  data: z.strictObject({ courseDocumentId: z.string(), kind: z.enum(['view', 'like']), at: z.iso.datetime() }),
});

/** Whether the caller likes a course (GET and DELETE /api/recommendations/likes/:documentId). */
export const likeStateSchema = z.strictObject({
  data: z.strictObject({ courseDocumentId: z.string(), liked: z.boolean() }),
});

const iso = z.iso.datetime().nullable();
const ms = z.number().int().min(0);

export const indexStatusSchema = z.strictObject({
  state: z.enum(['empty', 'building', 'ready', 'failed']),
  phase: z.enum(['idle', 'courses', 'vectors', 'interactions', 'statistics', 'segments', 'done']),
  progress: z.number().min(0).max(1),
  trigger: z.string().nullable().meta({ description: '"boot", "admin:<id>" or why a build started by itself', example: 'admin:1' }),
  startedAt: iso,
  finishedAt: iso,
  durationMs: ms.nullable(),
  cpuMs: ms.nullable().meta({ description: 'CPU time of the last build (process-wide, user + system)' }),
  timings: z
    .strictObject({ courses: ms.optional(), vectors: ms.optional(), interactions: ms.optional(), statistics: ms.optional(), segments: ms.optional() })
    .meta({ description: 'Milliseconds per phase of the last build' }),
  courses: z.number().int(),
  terms: z.number().int(),
  segments: z.number().int(),
  learners: z.number().int(),
  interactions: z.number().int(),
  memoryBytes: z.number().int().meta({ description: 'Estimated bytes held by the engine and the course cards' }),
  statsRefreshedAt: iso,
  error: z.string().nullable(),
});

export const rebuildResponseSchema = z.strictObject({
  data: z.strictObject({ started: z.boolean().meta({ description: 'False when a build was already running' }), status: indexStatusSchema }),
});

export const schemasMatchTheirTypes: [
  Same<z.output<typeof reasonSchema>, ApiReason>,
  Same<z.output<typeof recommendationListSchema>, RecommendationList>,
  Same<z.output<typeof indexStatusSchema>, IndexStatus>,
] = [true, true, true];
