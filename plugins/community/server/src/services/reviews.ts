/**
 * Reviews: one per (learner, course), by a reader who made progress; editable and deletable by
 * its author; one public reply by the course's instructor. Every write and the course's rating
 * summary commit in one transaction; `community.rating` is announced in it (heard after the commit).
 */
import type { Core } from '@strapi/strapi';
import { announce as announceEvent, httpError, isUniqueViolation } from '@kp/platform';
import type { CommunityRatingEvent, RatingEventAction } from '@kp/platform/contracts';
import { REVIEW_UID } from '../constants';
import { decideReviewEligibility, refusalFor, type Eligibility } from '../domain/eligibility';
import { countsInAggregate, type RatingView } from '../domain/rating';
import { normalizeText, textFingerprint } from '../domain/text';
import { getService, pluginConfig } from '../utils';

export interface Learner {
  id: number;
  username?: string | null;
}

export interface ReviewRow {
  id: number;
  userId: number;
  authorName: string | null;
  courseDocumentId: string;
  stars: number;
  text: string | null;
  reply: string | null;
  repliedAt: Date | string | null;
  state: 'visible' | 'hidden';
  hiddenReason: string | null;
  refunded: boolean;
  createdAt: Date | string;
  updatedAt: Date | string;
}

const SELECT = ['id', 'userId', 'authorName', 'courseDocumentId', 'stars', 'text', 'reply', 'repliedAt', 'state', 'hiddenReason', 'refunded', 'createdAt', 'updatedAt'];

const iso = (v: Date | string | null): string | null => (v === null || v === undefined ? null : new Date(v).toISOString());

/** A review as anyone reads it. */
export function publicReview(r: ReviewRow) {
  return {
    id: r.id,
    stars: r.stars,
    text: r.text ?? null,
    author: { name: r.authorName ?? 'Learner' },
    reply: r.reply ? { text: r.reply, repliedAt: iso(r.repliedAt) } : null,
    refunded: Boolean(r.refunded),
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

/** A review as its author reads it: hidden ones included, with the editor's reason. */
export function ownReview(r: ReviewRow) {
  return { ...publicReview(r), courseDocumentId: r.courseDocumentId, state: r.state, hiddenReason: r.hiddenReason ?? null };
}

export type ListSort = 'newest' | 'highest' | 'lowest';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = () => strapi.db.query(REVIEW_UID);
  const catalogue = () => getService(strapi, 'catalogue');
  const platform = () => getService(strapi, 'platform');
  const posts = () => getService(strapi, 'posts');
  const ratings = () => getService(strapi, 'ratings');

  async function findRow(courseDocumentId: string, id: number): Promise<ReviewRow | null> {
    return (await q().findOne({ where: { id, courseDocumentId }, select: SELECT })) as ReviewRow | null;
  }

  /**
   * Announces a rating change from inside the transaction that makes it (the kernel's
   * `announce`): in-transaction listeners write with it, `onEvent` listeners (the recommender's
   * signal, the cache's second drop) hear of it once it has committed, never when it rolls back.
   */
  async function announce(action: RatingEventAction, row: ReviewRow, previousStars: number | null, rating: RatingView, now: Date): Promise<void> {
    const payload: CommunityRatingEvent = {
      action,
      reviewId: row.id,
      userId: row.userId,
      courseDocumentId: row.courseDocumentId,
      stars: action === 'deleted' ? null : row.stars,
      previousStars,
      counted: action !== 'deleted' && countsInAggregate(row),
      rating,
      at: now.toISOString(),
    };
    await announceEvent(strapi, 'community.rating', payload);
  }

  async function eligibility(userId: number | null, courseDocumentId: string, now: Date): Promise<Eligibility> {
    const access = await platform().decideCourse(userId, courseDocumentId, now);
    if (userId === null || !access.allowed || access.via === 'instructor') {
      return decideReviewEligibility({ userId, access, completedChapters: 0, minChapters: 0, blocked: false });
    }
    const [completedChapters, blocked] = await Promise.all([catalogue().completedChapters(userId, courseDocumentId), posts().isBlocked(userId)]);
    return decideReviewEligibility({ userId, access, completedChapters, blocked, minChapters: pluginConfig(strapi, 'minChaptersToRate') });
  }

  function refuse(e: Eligibility): void {
    if (e.eligible) return;
    const r = refusalFor(e.reason, 'rate');
    throw httpError(r.status, r.message, { reason: e.reason });
  }

  async function requireCourse(courseDocumentId: string) {
    const course = await catalogue().course(courseDocumentId);
    if (!course) throw httpError(404, 'Course not found.');
    return course;
  }

  return {
    eligibility,

    async list(courseDocumentId: string, opts: { page: number; pageSize: number; sort: ListSort }) {
      await requireCourse(courseDocumentId);
      const where = { courseDocumentId, state: 'visible' };
      const orderBy =
        opts.sort === 'highest' ? [{ stars: 'desc' }, { createdAt: 'desc' }] : opts.sort === 'lowest' ? [{ stars: 'asc' }, { createdAt: 'desc' }] : [{ createdAt: 'desc' }, { id: 'desc' }];
      const [rows, total, rating] = await Promise.all([
        q().findMany({ where, select: SELECT, orderBy, limit: opts.pageSize, offset: (opts.page - 1) * opts.pageSize }) as Promise<ReviewRow[]>,
        q().count({ where }),
        ratings().forCourses([courseDocumentId]),
      ]);
      return { rows, total, rating: rating.get(courseDocumentId)! };
    },

    /** The caller's review of the course (hidden included) and whether they may rate it. */
    async mine(learner: Learner, courseDocumentId: string, now: Date) {
      await requireCourse(courseDocumentId);
      const [row, verdict] = await Promise.all([
        q().findOne({ where: { userId: learner.id, courseDocumentId }, select: SELECT }) as Promise<ReviewRow | null>,
        eligibility(learner.id, courseDocumentId, now),
      ]);
      return { row, verdict };
    },

    async create(learner: Learner, courseDocumentId: string, input: { stars: number; text?: string | null }, now: Date): Promise<ReviewRow> {
      await requireCourse(courseDocumentId);
      refuse(await eligibility(learner.id, courseDocumentId, now));
      const existing = (await q().findOne({ where: { userId: learner.id, courseDocumentId }, select: ['id'] })) as { id: number } | null;
      if (existing) throw httpError(409, `You already rated this course: edit your review instead (PATCH /api/community/courses/${courseDocumentId}/reviews/${existing.id}).`, { reason: 'already-rated', reviewId: existing.id });
      await posts().assertRateLimit(learner.id, now);
      const text = input.text ? normalizeText(input.text) : '';
      const textHash = text ? textFingerprint(text) : null;
      await posts().assertNotDuplicate(REVIEW_UID, learner.id, textHash);
      try {
        return await strapi.db.transaction(async () => {
          const row = (await q().create({
            data: {
              ...posts().newRow(now),
              userId: learner.id,
              authorName: learner.username ?? null,
              courseDocumentId,
              stars: input.stars,
              text: text || null,
              textHash,
              state: 'visible',
              refunded: false,
            },
            select: SELECT,
          })) as ReviewRow;
          const rating = await ratings().recompute(courseDocumentId, now);
          await announce('created', row, null, rating, now);
          // Inside the transaction: a listener's outbox row (the instructor's message) commits with the review.
          await announceEvent(strapi, 'community.post', {
            kind: 'review',
            postId: row.id,
            courseDocumentId,
            chapterDocumentId: null,
            authorUserId: learner.id,
            byInstructor: false,
            questionId: null,
            questionAuthorUserId: null,
            stars: input.stars,
            at: now.toISOString(),
          });
          return row;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw httpError(409, 'You already rated this course: edit your review instead.', { reason: 'already-rated' });
        throw error;
      }
    },

    async update(learner: Learner, courseDocumentId: string, id: number, input: { stars?: number; text?: string | null }, now: Date): Promise<ReviewRow> {
      const row = await findRow(courseDocumentId, id);
      if (!row || (row.state !== 'visible' && row.userId !== learner.id)) throw httpError(404, 'Review not found.');
      if (row.userId !== learner.id) throw httpError(403, 'Only its author may edit a review.');
      if (row.refunded) throw httpError(403, 'This review belongs to a refunded purchase and can no longer be edited.', { reason: 'refunded' });
      const access = await platform().decideCourse(learner.id, courseDocumentId, now);
      if (!access.allowed) refuse(decideReviewEligibility({ userId: learner.id, access, completedChapters: 0, minChapters: 0, blocked: false }));
      if (await posts().isBlocked(learner.id)) refuse({ eligible: false, reason: 'blocked' });
      const data: Record<string, unknown> = {};
      if (input.stars !== undefined) data.stars = input.stars;
      if (input.text !== undefined) {
        const text = input.text ? normalizeText(input.text) : '';
        data.text = text || null;
        data.textHash = text ? textFingerprint(text) : null;
        await posts().assertNotDuplicate(REVIEW_UID, learner.id, data.textHash as string | null, id);
      }
      return strapi.db.transaction(async () => {
        const updated = (await q().update({ where: { id }, data, select: SELECT })) as ReviewRow;
        const rating = await ratings().recompute(courseDocumentId, now);
        await announce('updated', updated, row.stars, rating, now);
        return updated;
      });
    },

    async remove(learner: Learner, courseDocumentId: string, id: number, now: Date): Promise<void> {
      const row = await findRow(courseDocumentId, id);
      if (!row || (row.state !== 'visible' && row.userId !== learner.id)) throw httpError(404, 'Review not found.');
      if (row.userId !== learner.id) throw httpError(403, 'Only its author may delete a review.');
      await strapi.db.transaction(async () => {
        await q().delete({ where: { id } });
        const rating = await ratings().recompute(courseDocumentId, now);
        await announce('deleted', row, row.stars, rating, now);
      });
    },

    /** The course's instructor sets (or replaces) the one public reply of a review. */
    async reply(user: Learner, courseDocumentId: string, id: number, text: string, now: Date): Promise<ReviewRow> {
      const row = await findRow(courseDocumentId, id);
      if (!row || row.state !== 'visible') throw httpError(404, 'Review not found.');
      const access = await platform().decideCourse(user.id, courseDocumentId, now);
      if (!access.allowed || access.via !== 'instructor') throw httpError(403, 'Only the course’s instructor may reply to its reviews.');
      const reply = normalizeText(text);
      return (await q().update({ where: { id }, data: { reply, repliedAt: now, replyUserId: user.id }, select: SELECT })) as ReviewRow;
    },

    /**
     * Hides or restores a review (moderation) and recomputes the course's rating in the same
     * transaction. Called inside the moderation service's transaction.
     */
    async setState(id: number, state: 'visible' | 'hidden', reason: string | null, now: Date): Promise<ReviewRow | null> {
      const row = (await q().findOne({ where: { id }, select: SELECT })) as ReviewRow | null;
      if (!row) return null;
      const updated = (await q().update({
        where: { id },
        data: { state, hiddenReason: state === 'hidden' ? reason : null, hiddenAt: state === 'hidden' ? now : null },
        select: SELECT,
      })) as ReviewRow;
      const rating = await ratings().recompute(row.courseDocumentId, now);
      if (row.state !== state) await announce(state === 'hidden' ? 'hidden' : 'restored', updated, null, rating, now);
      return updated;
    },

    /**
     * Marks the reviews of a learner whose access to their course was revoked as refunded: they
     * stay readable, flagged `refunded`, and leave the average. Returns how many changed.
     */
    async reconcileRefunds(userId: number, now: Date = new Date()): Promise<number> {
      const rows = (await q().findMany({ where: { userId, refunded: false }, select: SELECT })) as ReviewRow[];
      let changed = 0;
      for (const row of rows) {
        const access = await platform().decideCourse(userId, row.courseDocumentId, now);
        if (access.allowed || access.reason !== 'revoked') continue;
        await strapi.db.transaction(async () => {
          const updated = (await q().update({ where: { id: row.id }, data: { refunded: true }, select: SELECT })) as ReviewRow;
          const rating = await ratings().recompute(row.courseDocumentId, now);
          await announce('refunded', updated, null, rating, now);
        });
        changed += 1;
      }
      return changed;
    },
  };
};
