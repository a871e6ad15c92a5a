import { errors } from '@strapi/utils';
import { z } from 'zod';

/** A Strapi documentId (cuid2: lower-case letters and digits); loose enough for older ids. */
export const documentIdSchema = z
  .string({ error: 'must be a documentId (text)' })
  .min(1, 'must not be empty')
  .max(64, 'is too long')
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a documentId (letters, digits, - and _)');

/** What a learner may send to POST /api/progress. */
export const recordBodySchema = z
  .strictObject({
    chapter: documentIdSchema,
    completed: z.boolean({ error: 'must be true or false' }).optional(),
    position: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').max(1_000_000_000, 'is too large').optional(),
    locale: z.string().max(35).optional(),
  })
  .refine((v) => v.completed !== undefined || v.position !== undefined, {
    message: 'send `completed` (true or false), `position`, or both',
  });

export type RecordBody = z.infer<typeof recordBodySchema>;

/** Parses or answers 400 with every problem named (`field: problem`). */
export function parseOrBadRequest<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return `${at}${issue.message}`;
  });
  throw new errors.ValidationError(`Invalid ${what}: ${problems.join('; ')}`, {
    errors: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}

/** A `locale` the platform serves, or 400. Undefined stays undefined (the caller picks from Accept-Language). */
export function supportedLocale(value: unknown, supported: readonly string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  const match = typeof value === 'string' ? supported.find((l) => l.toLowerCase() === value.toLowerCase()) : undefined;
  if (!match) throw new errors.ValidationError(`Invalid locale: use one of ${supported.join(', ')}.`);
  return match;
}
