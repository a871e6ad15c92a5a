import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { z } from 'zod';
import { REVIEW_UID } from '../constants';
import type { myPostsResponse } from '../routes/schemas';
import { ownReview, type ReviewRow } from '../services/reviews';
import { getService } from '../utils';
import { learnerOf } from './request';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/community/me/posts: the caller's reviews, questions and answers, hidden ones with the reason. */
  async posts(ctx: Context) {
    const learner = learnerOf(ctx);
    const [reviews, qa] = await Promise.all([
      strapi.db.query(REVIEW_UID).findMany({
        where: { userId: learner.id },
        select: ['id', 'userId', 'authorName', 'courseDocumentId', 'stars', 'text', 'reply', 'repliedAt', 'state', 'hiddenReason', 'refunded', 'createdAt', 'updatedAt'],
        orderBy: [{ createdAt: 'desc' }],
      }) as Promise<ReviewRow[]>,
      getService(strapi, 'questions').mine(learner.id),
    ]);
    ctx.body = { data: { reviews: reviews.map(ownReview), ...qa } } satisfies z.input<typeof myPostsResponse>;
  },
});
