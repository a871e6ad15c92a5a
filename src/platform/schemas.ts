/** Input schemas every plugin's routes share (zod): one definition each, imported, never copied. */
import { z } from 'zod';

/** A Strapi 5 documentId (cuid2: 24 lower-case alphanumerics by default); any short token is accepted. */
export const documentIdSchema = z
  .string({ error: 'must be a documentId (text)' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a documentId (letters, digits, - and _, at most 64)')
  .meta({ description: 'A Strapi documentId', example: 'k3m9x0c2v5b8n1q4w7e6r5t4' });

/** A BCP 47-like locale code as i18n stores them (`en`, `zh-Hans`). Whether it is served is checked against the locales. */
export const localeSchema = z
  .string({ error: 'must be a locale code (text)' })
  .max(35, 'is too long')
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a locale code such as en or zh-Hans')
  .meta({ description: 'Locale code', example: 'en' });

/** A positive database row id (as in a path parameter). */
export const rowIdSchema = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .positive('must be positive')
  .max(2 ** 31 - 1, 'is too large');

/** `?limit=` of a list route: a whole number from 1 to `max`, `fallback` when absent. */
export function limitSchema(max: number, fallback: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(fallback)
    .meta({ description: `How many items (1–${max}, default ${fallback})` });
}

/** `?page=&pageSize=` of a list route. */
export function paginationSchema(maxPageSize: number, defaultPageSize: number) {
  return {
    page: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(100000, 'is too large').default(1),
    pageSize: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(maxPageSize, `must be at most ${maxPageSize}`)
      .default(defaultPageSize),
  };
}

/** The pagination block list responses carry. */
export const paginationMetaSchema = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  pageCount: z.number().int(),
  total: z.number().int(),
});

/** An ISO 8601 date-time in a query or body, parsed to a Date. */
export const dateInputSchema = z
  .string({ error: 'must be a date (ISO 8601 text)' })
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date such as 2026-12-01 or 2026-12-01T10:00:00Z')
  .transform((s) => new Date(s));

/** The error envelope every refusal carries. */
export const errorResponseSchema = z.object({
  data: z.null(),
  error: z.object({ status: z.number().int(), name: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});
