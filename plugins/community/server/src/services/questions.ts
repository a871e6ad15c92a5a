/**
 * Questions and answers per course, optionally per chapter. Learners who can read what a
 * question is about ask and answer; the course's instructor answers; the asker or the
 * instructor accepts an answer; replies hang one level under a top-level answer. A question on a
 * chapter is shown only to callers who can read that chapter (the paywall decides), in lists, by
 * id and in the instructor's inbox alike.
 */
import type { Core } from '@strapi/strapi';
import { announce, httpError } from '@kp/platform';
import { ANSWER_UID, QUESTION_UID } from '../constants';
import { decideQaPosting, refusalFor } from '../domain/eligibility';
import { decideAccept, decideReplyParent, questionScope, questionVisible } from '../domain/moderation';
import { normalizeText, textFingerprint } from '../domain/text';
import { getService } from '../utils';
import type { Learner } from './reviews';

type Stamp = Date | string;
const iso = (v: Stamp | null | undefined): string | null => (v === null || v === undefined ? null : new Date(v).toISOString());

export interface QuestionRow {
  id: number;
  userId: number;
  authorName: string | null;
  courseDocumentId: string;
  chapterDocumentId: string | null;
  text: string;
  acceptedAnswerId: number | null;
  answerCount: number;
  state: 'visible' | 'hidden';
  hiddenReason: string | null;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export interface AnswerRow {
  id: number;
  userId: number;
  authorName: string | null;
  questionId: number;
  parentAnswerId: number | null;
  byInstructor: boolean;
  text: string;
  state: 'visible' | 'hidden';
  hiddenReason: string | null;
  createdAt: Stamp;
  updatedAt: Stamp;
}

const Q_SELECT = ['id', 'userId', 'authorName', 'courseDocumentId', 'chapterDocumentId', 'text', 'acceptedAnswerId', 'answerCount', 'state', 'hiddenReason', 'createdAt', 'updatedAt'];
const A_SELECT = ['id', 'userId', 'authorName', 'questionId', 'parentAnswerId', 'byInstructor', 'text', 'state', 'hiddenReason', 'createdAt', 'updatedAt'];

export interface AnswerView {
  id: number;
  text: string;
  author: { name: string };
  byInstructor: boolean;
  accepted: boolean;
  createdAt: string;
  replies: AnswerView[];
}

export function answerView(a: AnswerRow, acceptedId: number | null): AnswerView {
  return {
    id: a.id,
    text: a.text,
    author: { name: a.authorName ?? 'Learner' },
    byInstructor: Boolean(a.byInstructor),
    accepted: acceptedId === a.id,
    createdAt: iso(a.createdAt)!,
    replies: [],
  };
}

export function questionView(qr: QuestionRow, answers: AnswerRow[]) {
  const top = answers.filter((a) => a.parentAnswerId === null || a.parentAnswerId === undefined);
  const visibleIds = new Set(answers.map((a) => a.id));
  const accepted = qr.acceptedAnswerId !== null && visibleIds.has(qr.acceptedAnswerId) ? qr.acceptedAnswerId : null;
  const views = new Map(top.map((a) => [a.id, answerView(a, accepted)]));
  for (const a of answers) {
    if (a.parentAnswerId === null || a.parentAnswerId === undefined) continue;
    views.get(a.parentAnswerId)?.replies.push(answerView(a, accepted));
  }
  return {
    id: qr.id,
    courseDocumentId: qr.courseDocumentId,
    chapterDocumentId: qr.chapterDocumentId ?? null,
    text: qr.text,
    author: { name: qr.authorName ?? 'Learner' },
    acceptedAnswerId: accepted,
    answerCount: answers.length,
    createdAt: iso(qr.createdAt)!,
    answers: [...views.values()],
  };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const questions = () => strapi.db.query(QUESTION_UID);
  const answers = () => strapi.db.query(ANSWER_UID);
  const catalogue = () => getService(strapi, 'catalogue');
  const platform = () => getService(strapi, 'platform');
  const posts = () => getService(strapi, 'posts');

  /** What of this course the viewer may see: one course decision, and the preview chapters when it is locked. */
  async function scopeFor(viewerId: number | null, courseDocumentId: string, now: Date) {
    const access = await platform().decideCourse(viewerId, courseDocumentId, now);
    if (access.allowed) {
      // The course is open to the viewer, but a drip-released chapter may not be yet: the paywall
      // decides each chapter that has a release day (none: no further query).
      const notYetOpen = new Set<string>();
      for (const chapter of await catalogue().drippedChapters(courseDocumentId)) {
        if (!(await platform().decideChapter(viewerId, chapter, now)).allowed) notYetOpen.add(chapter);
      }
      return questionScope(true, new Set(), notYetOpen);
    }
    return questionScope(false, await catalogue().previewChapters(courseDocumentId));
  }

  async function visibleAnswers(questionIds: number[]): Promise<Map<number, AnswerRow[]>> {
    const out = new Map<number, AnswerRow[]>();
    if (questionIds.length === 0) return out;
    const rows = (await answers().findMany({
      where: { questionId: { $in: questionIds }, state: 'visible' },
      select: A_SELECT,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    })) as AnswerRow[];
    for (const r of rows) {
      const list = out.get(r.questionId) ?? [];
      list.push(r);
      out.set(r.questionId, list);
    }
    return out;
  }

  /** The visible question if the viewer may see it, else 404 (a locked chapter's question is not there for them). */
  async function requireVisible(viewerId: number | null, id: number, now: Date): Promise<QuestionRow> {
    const row = (await questions().findOne({ where: { id, state: 'visible' }, select: Q_SELECT })) as QuestionRow | null;
    if (!row) throw httpError(404, 'Question not found.');
    const scope = await scopeFor(viewerId, row.courseDocumentId, now);
    if (!questionVisible(row.chapterDocumentId ?? null, scope)) throw httpError(404, 'Question not found.');
    return row;
  }

  async function postingRefusal(userId: number, access: Awaited<ReturnType<ReturnType<typeof platform>['decideCourse']>>, what: 'ask' | 'answer') {
    const blocked = access.allowed && access.via !== 'instructor' ? await posts().isBlocked(userId) : false;
    const verdict = decideQaPosting({ userId, access, blocked }, { instructorMayPost: what === 'answer' });
    if (!verdict.eligible) {
      const r = refusalFor(verdict.reason, what);
      throw httpError(r.status, r.message, { reason: verdict.reason });
    }
  }

  async function recount(questionId: number): Promise<void> {
    const n = await answers().count({ where: { questionId, state: 'visible' } });
    await questions().update({ where: { id: questionId }, data: { answerCount: n } });
  }

  return {
    async list(viewerId: number | null, courseDocumentId: string, opts: { chapter?: string; page: number; pageSize: number }, now: Date) {
      if (!(await catalogue().course(courseDocumentId))) throw httpError(404, 'Course not found.');
      const scope = await scopeFor(viewerId, courseDocumentId, now);
      const where: Record<string, unknown> = { courseDocumentId, state: 'visible' };
      if (opts.chapter !== undefined) {
        // A locked chapter's questions are not there for this viewer: an empty page, no oracle.
        if (!questionVisible(opts.chapter, scope)) return { data: [], total: 0 };
        where.chapterDocumentId = opts.chapter;
      } else if (!scope.all) {
        where.$or = [{ chapterDocumentId: { $null: true } }, ...(scope.chapters.length > 0 ? [{ chapterDocumentId: { $in: scope.chapters } }] : [])];
      } else if (scope.except.length > 0) {
        where.$or = [{ chapterDocumentId: { $null: true } }, { chapterDocumentId: { $notIn: scope.except } }];
      }
      const [rows, total] = await Promise.all([
        questions().findMany({ where, select: Q_SELECT, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: opts.pageSize, offset: (opts.page - 1) * opts.pageSize }) as Promise<QuestionRow[]>,
        questions().count({ where }),
      ]);
      const byQuestion = await visibleAnswers(rows.map((r) => r.id));
      return { data: rows.map((r) => questionView(r, byQuestion.get(r.id) ?? [])), total };
    },

    async findOne(viewerId: number | null, id: number, now: Date) {
      const row = await requireVisible(viewerId, id, now);
      const byQuestion = await visibleAnswers([row.id]);
      return questionView(row, byQuestion.get(row.id) ?? []);
    },

    async create(learner: Learner, courseDocumentId: string, input: { text: string; chapter?: string }, now: Date) {
      if (!(await catalogue().course(courseDocumentId))) throw httpError(404, 'Course not found.');
      if (input.chapter !== undefined && (await catalogue().courseOfChapter(input.chapter)) !== courseDocumentId) {
        throw httpError(404, 'This course has no published chapter with this documentId.');
      }
      const access = input.chapter !== undefined ? await platform().decideChapter(learner.id, input.chapter, now) : await platform().decideCourse(learner.id, courseDocumentId, now);
      await postingRefusal(learner.id, access, 'ask');
      await posts().assertRateLimit(learner.id, now);
      const text = normalizeText(input.text);
      const textHash = textFingerprint(text);
      await posts().assertNotDuplicate(QUESTION_UID, learner.id, textHash);
      const row = await strapi.db.transaction(async () => {
        const created = (await questions().create({
          data: {
            ...posts().newRow(now),
            userId: learner.id,
            authorName: learner.username ?? null,
            courseDocumentId,
            chapterDocumentId: input.chapter ?? null,
            text,
            textHash,
            answerCount: 0,
            state: 'visible',
          },
          select: Q_SELECT,
        })) as QuestionRow;
        // Inside the transaction: the instructor's message commits with the question.
        await announce(strapi, 'community.post', {
          kind: 'question',
          postId: created.id,
          courseDocumentId,
          chapterDocumentId: input.chapter ?? null,
          authorUserId: learner.id,
          byInstructor: access.allowed && access.via === 'instructor',
          questionId: null,
          questionAuthorUserId: null,
          stars: null,
          at: now.toISOString(),
        });
        return created;
      });
      return questionView(row, []);
    },

    async answer(user: Learner, questionId: number, input: { text: string; parentAnswerId?: number }, now: Date) {
      const question = await requireVisible(user.id, questionId, now);
      const access = question.chapterDocumentId
        ? await platform().decideChapter(user.id, question.chapterDocumentId, now)
        : await platform().decideCourse(user.id, question.courseDocumentId, now);
      await postingRefusal(user.id, access, 'answer');
      if (input.parentAnswerId !== undefined) {
        const parent = (await answers().findOne({ where: { id: input.parentAnswerId }, select: A_SELECT })) as AnswerRow | null;
        const verdict = decideReplyParent(parent ? { ...parent, parentAnswerId: parent.parentAnswerId ?? null } : null, questionId);
        if (!verdict.ok) throw httpError(400, verdict.message);
      }
      await posts().assertRateLimit(user.id, now);
      const text = normalizeText(input.text);
      const textHash = textFingerprint(text);
      await posts().assertNotDuplicate(ANSWER_UID, user.id, textHash);
      const byInstructor = access.allowed && access.via === 'instructor';
      // The instructor answers under their profile's name, the one the course page shows.
      const authorName = byInstructor ? ((await catalogue().course(question.courseDocumentId))?.instructorName ?? user.username ?? null) : (user.username ?? null);
      const row = await strapi.db.transaction(async () => {
        const created = (await answers().create({
          data: {
            ...posts().newRow(now),
            userId: user.id,
            authorName,
            questionId,
            parentAnswerId: input.parentAnswerId ?? null,
            byInstructor,
            text,
            textHash,
            state: 'visible',
          },
          select: A_SELECT,
        })) as AnswerRow;
        await recount(questionId);
        // Inside the transaction: the asker's message commits with the answer.
        await announce(strapi, 'community.post', {
          kind: 'answer',
          postId: created.id,
          courseDocumentId: question.courseDocumentId,
          chapterDocumentId: question.chapterDocumentId ?? null,
          authorUserId: user.id,
          byInstructor,
          questionId,
          questionAuthorUserId: question.userId,
          stars: null,
          at: now.toISOString(),
        });
        return created;
      });
      return answerView(row, question.acceptedAnswerId ?? null);
    },

    async accept(user: Learner, questionId: number, answerId: number | null, now: Date) {
      const question = await requireVisible(user.id, questionId, now);
      const access = await platform().decideCourse(user.id, question.courseDocumentId, now);
      const isInstructor = access.allowed && access.via === 'instructor';
      if (answerId !== null) {
        const answer = (await answers().findOne({ where: { id: answerId }, select: A_SELECT })) as AnswerRow | null;
        const verdict = decideAccept({ userId: user.id, isInstructor }, question, answer, questionId);
        if (!verdict.ok) {
          if (verdict.reason === 'not-allowed') throw httpError(403, 'Only the asker or the course’s instructor may accept an answer.');
          throw httpError(400, 'answerId: no visible answer of this question has this id');
        }
      } else if (user.id !== question.userId && !isInstructor) {
        throw httpError(403, 'Only the asker or the course’s instructor may accept an answer.');
      }
      await questions().update({ where: { id: questionId }, data: { acceptedAnswerId: answerId } });
      return this.findOne(user.id, questionId, now);
    },

    /** The instructor's questions nobody has answered yet, oldest first (every chapter: they read them all). */
    async unanswered(instructor: Learner, opts: { page: number; pageSize: number }) {
      const courses = await catalogue().coursesOfInstructor(instructor.id);
      if (courses.length === 0) return { data: [], total: 0 };
      const where = { courseDocumentId: { $in: courses }, state: 'visible', answerCount: 0 };
      const [rows, total] = await Promise.all([
        questions().findMany({ where, select: Q_SELECT, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: opts.pageSize, offset: (opts.page - 1) * opts.pageSize }) as Promise<QuestionRow[]>,
        questions().count({ where }),
      ]);
      return { data: rows.map((r) => questionView(r, [])), total };
    },

    /** Moderation: hides or restores a question or an answer (an answer's question is recounted). */
    async setState(kind: 'question' | 'answer', id: number, state: 'visible' | 'hidden', reason: string | null, now: Date) {
      const data = { state, hiddenReason: state === 'hidden' ? reason : null, hiddenAt: state === 'hidden' ? now : null };
      if (kind === 'question') {
        const row = await questions().findOne({ where: { id }, select: ['id'] });
        if (!row) return null;
        return questions().update({ where: { id }, data, select: Q_SELECT });
      }
      const row = (await answers().findOne({ where: { id }, select: A_SELECT })) as AnswerRow | null;
      if (!row) return null;
      const updated = await answers().update({ where: { id }, data, select: A_SELECT });
      await recount(row.questionId);
      return updated;
    },

    /** Everything the learner posted, hidden posts with the editor's reason included. */
    async mine(userId: number) {
      const [qs, as] = await Promise.all([
        questions().findMany({ where: { userId }, select: Q_SELECT, orderBy: [{ createdAt: 'desc' }] }) as Promise<QuestionRow[]>,
        answers().findMany({ where: { userId }, select: A_SELECT, orderBy: [{ createdAt: 'desc' }] }) as Promise<AnswerRow[]>,
      ]);
      return {
        questions: qs.map((r) => ({ id: r.id, courseDocumentId: r.courseDocumentId, chapterDocumentId: r.chapterDocumentId ?? null, text: r.text, state: r.state, hiddenReason: r.hiddenReason ?? null, createdAt: iso(r.createdAt)! })),
        answers: as.map((r) => ({ id: r.id, questionId: r.questionId, text: r.text, state: r.state, hiddenReason: r.hiddenReason ?? null, createdAt: iso(r.createdAt)! })),
      };
    },
  };
};
