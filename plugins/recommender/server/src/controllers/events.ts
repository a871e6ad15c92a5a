import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import type { PluginConfig } from '../config';
import { FixedWindowLimiter } from '../domain/rate-limit';
import { getService } from '../utils';
import { describeIssues } from './recommendations';

// Purchases, refunds and progress are recorded by the platform itself (checkout, learning), never
// by a client: a client could otherwise claim to own courses.
const bodySchema = z
  .object({
    courseDocumentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'courseDocumentId must be a course documentId'),
    kind: z.enum(['view', 'like'], { error: 'kind must be "view" or "like"' }),
  })
  .strict();

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const { max, windowSeconds } = strapi.plugin('recommender').config('eventsRateLimit') as PluginConfig['eventsRateLimit'];
  const limiter = new FixedWindowLimiter(max, windowSeconds * 1000);

  return {
    /** POST /api/recommendations/events { courseDocumentId, kind: "view" | "like" } */
    async create(ctx: Context) {
      const user = ctx.state.user as { id?: number } | undefined;
      if (typeof user?.id !== 'number') throw new errors.UnauthorizedError('Log in to record an event');
      const body = (ctx.request as { body?: unknown }).body;
      const parsed = bodySchema.safeParse(body ?? {});
      if (!parsed.success) throw new errors.ValidationError(describeIssues(parsed.error));
      const rate = limiter.take(String(user.id), Date.now());
      if (!rate.allowed) {
        ctx.set('Retry-After', String(Math.ceil(rate.retryAfterMs / 1000)));
        throw new errors.RateLimitError(`Too many events: at most ${max} per ${windowSeconds} s`);
      }
      const { courseDocumentId, kind } = parsed.data;
      if (!getService(strapi, 'course-index').engine()?.has(courseDocumentId)) {
        throw new errors.NotFoundError('No published course has this documentId');
      }
      const at = new Date();
      await getService(strapi, 'interactions').record({ userId: user.id, courseDocumentId, kind, at });
      ctx.status = 201;
      ctx.body = { data: { courseDocumentId, kind, at: at.toISOString() } };
    },
  };
};
