/** Input schemas of the review routes (zod): a bad input is a 400 with the reason, never a 500. */
import { httpError } from '../errors';
import { z } from 'zod';
import { REVIEW_STATES } from '../domain/states';
import type { HttpCtx } from './respond';

/** Strapi 5 documentIds: 24 lower-case alphanumerics by default; accept any short token. */
export const documentIdSchema = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'not a documentId');
export const localeSchema = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'not a locale code').max(35);

export const courseParamsSchema = z.object({ documentId: documentIdSchema });
export const courseQuerySchema = z.object({ locale: localeSchema.optional() });

export const requestChangesSchema = z.object({ comment: z.string().max(5000) });
export const approveSchema = z.object({ comment: z.string().max(5000).optional() }).optional();

export const mediaBodySchema = z.object({
  field: z.enum(['cover', 'video', 'attachments']),
  documentId: documentIdSchema,
});

const dateSchema = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a date')
  .transform((s) => new Date(s));

export const queueQuerySchema = z.object({
  state: z.enum([...REVIEW_STATES, 'all']).default('in_review'),
  instructor: documentIdSchema.optional(),
  assignee: z.union([z.enum(['me', 'unassigned']), z.coerce.number().int().positive()]).optional(),
  submittedAfter: dateSchema.optional(),
  submittedBefore: dateSchema.optional(),
  checks: z.enum(['clean', 'warnings']).optional(),
  sort: z.enum(['oldest', 'newest']).default('oldest'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});

/** Parses or answers 400 with every problem, field by field. */
export function parseOr400<S extends z.ZodType>(ctx: HttpCtx, schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw httpError(400, `Invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`, { issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) });
  }
  return parsed.data;
}
