/**
 * What every post (review, question, answer) shares on its way in: the author's block, the rate
 * limit over their recent posts (counted in the database, so it holds across instances), the
 * duplicate check on the text's fingerprint, and the columns a new row needs.
 */
import type { Core } from '@strapi/strapi';
import { createId } from '@paralleldrive/cuid2';
import { httpError } from '@kp/platform';
import { ANSWER_UID, BLOCK_UID, QUESTION_UID, REVIEW_UID } from '../constants';
import { decideRateLimit } from '../domain/moderation';
import { pluginConfig } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async isBlocked(userId: number): Promise<boolean> {
    return (await strapi.db.query(BLOCK_UID).count({ where: { userId } })) > 0;
  },

  /** 429 when the author created `postLimit` posts within the window. */
  async assertRateLimit(userId: number, now: Date): Promise<void> {
    const limit = pluginConfig(strapi, 'postLimit');
    if (limit <= 0) return;
    const windowSeconds = pluginConfig(strapi, 'postWindowSeconds');
    const since = new Date(now.getTime() - windowSeconds * 1000);
    const where = { userId, createdAt: { $gt: since } };
    const counts = await Promise.all([REVIEW_UID, QUESTION_UID, ANSWER_UID].map((uid) => strapi.db.query(uid).count({ where })));
    const verdict = decideRateLimit(counts.reduce((a, b) => a + b, 0), limit, windowSeconds);
    if (!verdict.ok) {
      throw httpError(429, `Too many posts: at most ${limit} reviews, questions and answers per ${windowSeconds} s. Try again later.`, {
        retryAfterSeconds: verdict.retryAfterSeconds,
      });
    }
  },

  /** 409 when the author already posted this text (same fingerprint) as a post of this kind. */
  async assertNotDuplicate(uid: typeof REVIEW_UID | typeof QUESTION_UID | typeof ANSWER_UID, userId: number, textHash: string | null, exceptId?: number): Promise<void> {
    if (!textHash) return;
    const where: Record<string, unknown> = { userId, textHash };
    if (exceptId !== undefined) where.id = { $ne: exceptId };
    if ((await strapi.db.query(uid).count({ where })) > 0) {
      throw httpError(409, 'You already posted this text. Duplicates are refused.', { reason: 'duplicate' });
    }
  },

  /** documentId and publishedAt for a row written through the Query Engine (no Draft & Publish). */
  newRow(now: Date): { documentId: string; publishedAt: Date } {
    return { documentId: createId(), publishedAt: now };
  },
});
