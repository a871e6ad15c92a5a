/** Request and response schemas of the notifications routes (zod); the admin shapes are checked against the contract. */
import { z } from 'zod';
import { paginationSchema, rowIdSchema } from '@kp/platform';
import { OUTBOX_STATES, type DeliveryStatusResponse, type OutboxListResponse, type OutboxMessageResponse } from '@kp/platform';
import { TEMPLATE_IDS } from '../domain/templates';
import { MESSAGE_LOCALES } from '../domain/locale';

export const languageSchema = z.enum(MESSAGE_LOCALES, { error: 'must be en or zh-Hans' });

export const profileBody = z
  .object({
    displayName: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').nullable().optional(),
    preferredLanguage: languageSchema.optional(),
  })
  .strict()
  .refine((b) => b.displayName !== undefined || b.preferredLanguage !== undefined, 'give displayName or preferredLanguage');

export const profileResponse = z.object({
  data: z.object({
    email: z.string(),
    username: z.string(),
    displayName: z.string().nullable(),
    preferredLanguage: languageSchema,
  }),
});

const outboxMessage = z.object({
  id: z.number().int(),
  recipient: z.string(),
  template: z.string(),
  locale: z.string(),
  subject: z.string(),
  state: z.enum(OUTBOX_STATES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const outboxQuery = z
  .object({
    ...paginationSchema(100, 20),
    state: z.enum(OUTBOX_STATES, { error: `must be one of ${OUTBOX_STATES.join(', ')}` }).optional(),
    recipient: z.string().max(254).optional(),
  })
  .strict();

export const outboxListResponse = z.object({
  results: z.array(outboxMessage),
  pagination: z.object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int(), pageCount: z.number().int() }),
}) satisfies z.ZodType<OutboxListResponse>;

export const outboxParams = z.object({ id: rowIdSchema });

export const outboxMessageResponse = z.object({
  data: outboxMessage.extend({ text: z.string(), html: z.string() }),
}) satisfies z.ZodType<OutboxMessageResponse>;

export const resendResponse = z.object({ data: outboxMessage });

const counts = z.object({ queued: z.number().int(), sending: z.number().int(), sent: z.number().int(), failed: z.number().int(), captured: z.number().int() });
export const statusResponse = z.object({
  data: z.object({ mode: z.enum(['smtp', 'capture']), message: z.string(), counts }),
}) satisfies z.ZodType<DeliveryStatusResponse>;

export const previewParams = z.object({ template: z.enum(TEMPLATE_IDS, { error: `must be one of ${TEMPLATE_IDS.join(', ')}` }) });
export const previewQuery = z.object({ locale: languageSchema.default('en') }).strict();
export const previewResponse = z.object({ data: z.object({ template: z.string(), locale: languageSchema, subject: z.string(), text: z.string(), html: z.string() }) });

export const exportResponse = z
  .object({ exportedAt: z.string(), account: z.record(z.string(), z.unknown()) })
  .catchall(z.unknown())
  .meta({ description: 'The account (without secrets) and, per holder, every row the platform keeps about the learner' });

export const eraseBody = z.object({ password: z.string({ error: 'is required: confirm with your password' }).min(1, 'is required: confirm with your password').max(200) }).strict();
export const eraseResponse = z.object({
  data: z.object({ erased: z.literal(true), holders: z.record(z.string(), z.object({ deleted: z.number().int(), anonymised: z.number().int() })) }),
});
