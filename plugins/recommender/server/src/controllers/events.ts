import { httpError, inputOf, platformRateLimiter } from '@kp/platform';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { pluginConfig } from '../config';
import { eventsRoute, likeStateRoute, unlikeRoute } from '../routes/content-api';
import { getService } from '../utils';

function learnerOf(ctx: Context): number {
  const user = ctx.state.user as { id?: number } | undefined;
  if (typeof user?.id !== 'number') throw httpError(401, 'Log in to read or change your likes');
  return user.id;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const { max, windowSeconds } = pluginConfig(strapi, 'eventsRateLimit');
  // Shared by every instance (Redis or PostgreSQL; in memory on SQLite): the kernel's rate limits.
  const limiter = () => platformRateLimiter(strapi, { name: 'recommender-events', points: max, durationSeconds: windowSeconds });

  return {
    /** POST /api/recommendations/events { courseDocumentId, kind: "view" | "like" } */
    async create(ctx: Context) {
      const user = ctx.state.user as { id?: number } | undefined;
      // Also when a deployment grants the action to the public role: an event needs a learner.
      if (typeof user?.id !== 'number') throw httpError(401, 'Log in to record an event');
      const { courseDocumentId, kind } = inputOf(ctx, eventsRoute).body;
      await limiter().enforce(ctx, String(user.id), (retry) => `Too many events from this learner: at most ${max} per ${windowSeconds} s. Try again in ${retry} s.`);
      if (!getService(strapi, 'course-index').engine()?.has(courseDocumentId)) throw httpError(404, 'No published course has this documentId');
      let at = new Date();
      if (kind === 'like') at = (await getService(strapi, 'interactions').like(user.id, courseDocumentId, at)).at;
      else await getService(strapi, 'interactions').record({ userId: user.id, courseDocumentId, kind, at });
      ctx.status = 201;
      ctx.body = { data: { courseDocumentId, kind, at: at.toISOString() } };
    },

    /** GET /api/recommendations/likes/:documentId → { data: { courseDocumentId, liked } } */
    async likeState(ctx: Context) {
      const userId = learnerOf(ctx);
      const { documentId } = inputOf(ctx, likeStateRoute).params;
      ctx.body = { data: { courseDocumentId: documentId, liked: await getService(strapi, 'interactions').isLiked(userId, documentId) } };
    },

    /** DELETE /api/recommendations/likes/:documentId → { data: { courseDocumentId, liked: false } } */
    async unlike(ctx: Context) {
      const userId = learnerOf(ctx);
      const { documentId } = inputOf(ctx, unlikeRoute).params;
      await getService(strapi, 'interactions').unlike(userId, documentId);
      ctx.body = { data: { courseDocumentId: documentId, liked: false } };
    },
  };
};
