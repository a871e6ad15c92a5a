/**
 * The review state of courses: reads it, and moves it through the domain's state machine. Every
 * transition goes through one runner (`transition`): in one transaction it locks the course, reads
 * its row, asks the domain, and either answers the refusal or writes the new state with its audit
 * event (and, for approve, the publication), guarded by a conditional update on the state it
 * started from. `review.transition` is emitted after the commit and can never fail the transition.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import {
  ADMIN_USER_UID,
  COURSE_UID,
  announce,
  httpError,
  isPostgres,
  isUniqueViolation,
  lockDocuments,
  type ReviewAction,
  type ReviewActor,
  type ReviewHistoryEvent,
  type ReviewState,
  type ReviewSubmission,
  type ReviewTransitionEvent,
} from '@kp/platform';
import { REVIEW_EVENT_UID, SUBMISSION_UID } from '../constants';
import { failedRecommended, failedRequired, runChecksInLocales, type CheckResult } from '../domain/checks';
import {
  INITIAL_STATE,
  decideTransition,
  isReviewState,
  type TransitionDecision,
  type TransitionRefusal,
  type TransitionRequest,
} from '../domain/states';
import { reviewConfig } from '../config';
import { getService } from '../utils';
import { POPULATE, editorDisplayName, toHistoryEvent, toRecord, type Row } from './submission-records';

export type TransitionOutcome =
  | { ok: true; changed: true; from: ReviewState; to: ReviewState; submission: ReviewSubmission; checks?: CheckResult[] }
  | { ok: true; changed: false; state: ReviewState; submission: ReviewSubmission | null }
  | { ok: false; reason: Exclude<TransitionRefusal, 'already'>; state: ReviewState; checks?: CheckResult[] };

/** Another request moved the same course first (or created its row): retry after reading again. */
export class TransitionConflictError extends Error {
  constructor(courseDocumentId: string) {
    super(`The review state of course ${courseDocumentId} changed during this request: reload and try again.`);
    this.name = 'TransitionConflictError';
  }
}

/** What an allowed transition writes besides its new state: row fields, relations, and its audit event's comment and checks. */
interface TransitionPatch {
  scalars?: Row;
  relations?: Row;
  comment?: string | null;
  checks?: CheckResult[] | null;
}

/** One transition, for the runner: what the domain needs to decide, and what an allowed decision does. */
interface TransitionPlan {
  action: ReviewAction;
  /**
   * Inputs of the decision beyond the current state, read inside the lock (a submission's checks).
   * `checks` are also answered with a refusal and with the outcome.
   */
  inputs?: () => Promise<{ request?: Pick<TransitionRequest, 'comment' | 'minCommentLength' | 'failedRequiredChecks'>; checks?: CheckResult[] }>;
  /**
   * What the allowed transition does before its state is written (approve publishes), and the patch
   * to write; `'unchanged'` when there is nothing to do after all (assigning to the assignee). Gets
   * the row as it was and the checks `inputs` ran.
   */
  apply: (row: Row | null, checks: CheckResult[] | undefined) => Promise<TransitionPatch | 'unchanged'>;
}

type AllowedDecision = Extract<TransitionDecision, { ok: true }>;

const stateOf = (row: Row | null): ReviewState => (row && isReviewState(row.state) ? row.state : INITIAL_STATE);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const submissions = () => strapi.db.query(SUBMISSION_UID);
  const events = () => strapi.db.query(REVIEW_EVENT_UID);

  /**
   * PostgreSQL: lock the course's rows for the rest of the transaction, so that a transition and an
   * instructor's edit of the same course run one after the other. SQLite has a single writer and
   * Strapi's pool serialises its transactions already, so nothing is sent there.
   */
  async function lockCourses(trx: Knex.Transaction, courseDocumentIds: string[]): Promise<void> {
    if (!isPostgres(strapi)) return;
    await lockDocuments(strapi, COURSE_UID, courseDocumentIds, trx);
  }

  async function findRow(courseDocumentId: string): Promise<Row | null> {
    return (await submissions().findOne({ where: { courseDocumentId }, populate: POPULATE })) as Row | null;
  }

  /**
   * Writes an allowed transition: the row (created on a course's first transition, otherwise
   * updated only if it is still in the state the decision started from) and its audit event.
   */
  async function write(
    courseDocumentId: string,
    row: Row | null,
    decision: AllowedDecision,
    actor: ReviewActor,
    patch: TransitionPatch
  ): Promise<ReviewSubmission> {
    const at = new Date();
    const scalars = { ...(patch.scalars ?? {}), state: decision.to };
    try {
      if (!row) {
        await submissions().create({ data: { courseDocumentId, ...scalars, ...(patch.relations ?? {}) } });
      } else {
        const { count } = await submissions().updateMany({ where: { id: row.id, state: decision.from }, data: scalars });
        if (count !== 1) throw new TransitionConflictError(courseDocumentId);
        if (patch.relations && Object.keys(patch.relations).length > 0) {
          await submissions().update({ where: { id: row.id }, data: patch.relations });
        }
      }
    } catch (err) {
      if (isUniqueViolation(err)) throw new TransitionConflictError(courseDocumentId);
      throw err;
    }
    await events().create({
      data: {
        courseDocumentId,
        action: decision.action,
        fromState: decision.from,
        toState: decision.to,
        actorType: actor.kind,
        actorId: actor.id,
        actorName: actor.name.slice(0, 255),
        comment: patch.comment ?? null,
        checks: patch.checks ?? null,
        at,
      },
    });
    const payload: ReviewTransitionEvent = {
      courseDocumentId,
      action: decision.action,
      from: decision.from,
      to: decision.to,
      actor,
      comment: patch.comment ?? null,
      at: at.toISOString(),
    };
    // In the transaction: a listener's outbox row commits with the transition (see the kernel's announce).
    await announce(strapi, 'review.transition', payload);
    return toRecord((await findRow(courseDocumentId))!);
  }

  function refused(decision: Extract<TransitionDecision, { ok: false }>, row: Row | null, checks?: CheckResult[]): TransitionOutcome {
    if (decision.reason === 'already') return { ok: true, changed: false, state: decision.from, submission: row ? toRecord(row) : null };
    return { ok: false, reason: decision.reason, state: decision.from, ...(checks ? { checks } : {}) };
  }

  /**
   * The transition runner: in one transaction, lock the course, read its row, ask the domain; a
   * refusal (or a repeat) is answered as it is, an allowed decision is applied and written.
   */
  async function transition(courseDocumentId: string, actor: ReviewActor, plan: TransitionPlan): Promise<TransitionOutcome> {
    return strapi.db.transaction(async ({ trx }): Promise<TransitionOutcome> => {
      await lockCourses(trx, [courseDocumentId]);
      const row = await findRow(courseDocumentId);
      // A course never submitted has no row: it must exist for any transition (an unknown id is a
      // 404 on every route, not a refusal "from draft").
      if (!row && (await strapi.db.query(COURSE_UID).count({ where: { documentId: courseDocumentId } })) === 0) {
        throw httpError(404, 'Course not found.');
      }
      const from = stateOf(row);
      const { request, checks } = (await plan.inputs?.()) ?? {};
      const decision = decideTransition({ ...request, from, action: plan.action, actor: actor.kind });
      if (!decision.ok) return refused(decision, row, checks);
      const patch = await plan.apply(row, checks);
      if (patch === 'unchanged') return { ok: true, changed: false, state: from, submission: row ? toRecord(row) : null };
      const submission = await write(courseDocumentId, row, decision, actor, patch);
      return { ok: true, changed: true, from: decision.from, to: decision.to, submission, ...(checks ? { checks } : {}) };
    });
  }

  /** An editor's decision stamps the time and keeps the comment for the instructor (trimmed; empty is none). */
  const decided = (comment: string | null): TransitionPatch => ({ scalars: { decidedAt: new Date(), lastComment: comment }, comment });

  const api = {
    lockCourses,

    async get(courseDocumentId: string): Promise<ReviewSubmission | null> {
      const row = await findRow(courseDocumentId);
      return row ? toRecord(row) : null;
    },

    /** Review state of each course (courses never submitted are `draft`). */
    async statesOf(courseDocumentIds: string[]): Promise<Map<string, ReviewState>> {
      const ids = [...new Set(courseDocumentIds)];
      const out = new Map<string, ReviewState>(ids.map((id) => [id, INITIAL_STATE]));
      if (ids.length === 0) return out;
      const rows = (await submissions().findMany({ where: { courseDocumentId: { $in: ids } }, select: ['courseDocumentId', 'state'] })) as Row[];
      for (const r of rows) if (isReviewState(r.state)) out.set(r.courseDocumentId, r.state);
      return out;
    },

    async recordsOf(courseDocumentIds: string[]): Promise<Map<string, ReviewSubmission>> {
      const out = new Map<string, ReviewSubmission>();
      if (courseDocumentIds.length === 0) return out;
      const rows = (await submissions().findMany({ where: { courseDocumentId: { $in: [...new Set(courseDocumentIds)] } }, populate: POPULATE })) as Row[];
      for (const r of rows) out.set(r.courseDocumentId, toRecord(r));
      return out;
    },

    /**
     * Runs the checklist, without changing anything, on the draft of every locale approval will
     * publish (each locale with a draft; the default locale always).
     */
    async runChecks(courseDocumentId: string): Promise<CheckResult[]> {
      const facts = getService(strapi, 'course-facts');
      const defaultLocale = await facts.defaultLocale();
      const drafted = (await facts.courseFacts([courseDocumentId], null)).get(courseDocumentId)?.draftLocales ?? [];
      const locales = [...new Set([defaultLocale, ...drafted])];
      const snapshots = [];
      for (const locale of locales) snapshots.push({ locale, snapshot: await facts.snapshot(courseDocumentId, locale) });
      return runChecksInLocales(snapshots, reviewConfig(strapi, 'checks'), defaultLocale);
    },

    /** Instructor submits: checks run; any failing required check refuses with the full list. */
    async submit(courseDocumentId: string, actor: ReviewActor, instructorDocumentId: string): Promise<TransitionOutcome> {
      return transition(courseDocumentId, actor, {
        action: 'submit',
        inputs: async () => {
          const checks = await api.runChecks(courseDocumentId);
          return { request: { failedRequiredChecks: failedRequired(checks).map((c) => c.id) }, checks };
        },
        apply: async (row, checks = []) => {
          const facts = getService(strapi, 'course-facts');
          const locales = (await facts.courseFacts([courseDocumentId], null)).get(courseDocumentId)?.draftLocales ?? [];
          return {
            scalars: {
              instructorDocumentId,
              submittedAt: new Date(),
              decidedAt: null,
              revision: (row?.revision ?? 0) + 1,
              checks,
              locales,
              warnings: failedRecommended(checks).length,
            },
            relations: { submittedBy: actor.id, assignee: null },
            checks,
          };
        },
      });
    },

    /** Instructor takes a submission back to draft (to edit it before the editor acts). */
    async withdraw(courseDocumentId: string, actor: ReviewActor): Promise<TransitionOutcome> {
      return transition(courseDocumentId, actor, { action: 'withdraw', apply: async () => ({ relations: { assignee: null } }) });
    },

    /** Editor sends the course back with a comment (required). */
    async requestChanges(courseDocumentId: string, actor: ReviewActor, comment: string): Promise<TransitionOutcome> {
      return transition(courseDocumentId, actor, {
        action: 'request_changes',
        inputs: async () => ({ request: { comment, minCommentLength: reviewConfig(strapi, 'minCommentLength') } }),
        apply: async () => decided(comment.trim()),
      });
    },

    /** Editor approves: the course and its chapters are published in every locale that has a draft, as this editor. */
    async approve(courseDocumentId: string, actor: ReviewActor, comment?: string | null): Promise<TransitionOutcome> {
      return transition(courseDocumentId, actor, {
        action: 'approve',
        apply: async () => {
          await getService(strapi, 'publisher').publishCourse(courseDocumentId, actor.id);
          return decided(comment?.trim() || null);
        },
      });
    },

    /** Editor takes a submission in review for themself. */
    async assign(courseDocumentId: string, actor: ReviewActor): Promise<TransitionOutcome> {
      return transition(courseDocumentId, actor, {
        action: 'assign',
        apply: async (row) => (row?.assignee?.id === actor.id ? 'unchanged' : { relations: { assignee: actor.id } }),
      });
    },

    /**
     * The first instructor edit of an approved course moves it back to draft, so that the queue and
     * the instructor's list never call unreviewed changes approved. Runs inside the edit's
     * transaction (the caller holds the course lock).
     */
    async reopenIfApproved(courseDocumentId: string, actor: ReviewActor): Promise<boolean> {
      return strapi.db.transaction(async () => {
        const row = await findRow(courseDocumentId);
        if (!row || row.state !== 'approved') return false;
        const decision = decideTransition({ from: 'approved', action: 'reopen', actor: actor.kind });
        if (!decision.ok) return false;
        await write(courseDocumentId, row, decision, actor, {});
        return true;
      });
    },

    /** Forgets the state of a course that no longer exists (its events stay). */
    async forget(courseDocumentId: string): Promise<void> {
      await submissions().deleteMany({ where: { courseDocumentId } });
    },

    /** The course's audit trail, oldest first. */
    async history(courseDocumentId: string): Promise<ReviewHistoryEvent[]> {
      const rows = (await events().findMany({ where: { courseDocumentId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] })) as Row[];
      return rows.map(toHistoryEvent);
    },

    /** Queue page for editors. */
    async queue(filter: QueueFilter): Promise<{ results: ReviewSubmission[]; pagination: { page: number; pageSize: number; pageCount: number; total: number } }> {
      const where: Row = {};
      if (filter.state !== 'all') where.state = filter.state;
      if (filter.instructor) where.instructorDocumentId = filter.instructor;
      if (filter.assignee === 'unassigned') where.assignee = { id: { $null: true } };
      else if (typeof filter.assignee === 'number') where.assignee = { id: filter.assignee };
      if (filter.submittedAfter || filter.submittedBefore) {
        where.submittedAt = {
          ...(filter.submittedAfter ? { $gte: filter.submittedAfter } : {}),
          ...(filter.submittedBefore ? { $lte: filter.submittedBefore } : {}),
        };
      }
      if (filter.checks === 'clean') where.warnings = 0;
      if (filter.checks === 'warnings') where.warnings = { $gt: 0 };
      const { results, pagination } = (await submissions().findPage({
        where,
        populate: POPULATE,
        orderBy: [{ submittedAt: filter.sort === 'newest' ? 'desc' : 'asc' }, { id: 'asc' }],
        page: filter.page,
        pageSize: filter.pageSize,
      })) as { results: Row[]; pagination: { page: number; pageSize: number; pageCount: number; total: number } };
      return { results: results.map(toRecord), pagination };
    },

    /** Instructors that have a submission row (for the queue's filter). */
    async instructorsInQueue(): Promise<string[]> {
      const rows = (await submissions().findMany({ select: ['instructorDocumentId'] })) as Row[];
      return [...new Set(rows.map((r) => r.instructorDocumentId).filter(Boolean) as string[])];
    },

    /** An admin user as an actor. */
    async editorActor(adminUser: { id: number; firstname?: string | null; lastname?: string | null; username?: string | null }): Promise<ReviewActor> {
      const row = (await strapi.db.query(ADMIN_USER_UID).findOne({ where: { id: adminUser.id }, select: ['id', 'firstname', 'lastname', 'username'] })) as Row | null;
      return { kind: 'editor', id: adminUser.id, name: editorDisplayName(row ?? adminUser) };
    },
  };
  return api;
};

export interface QueueFilter {
  state: ReviewState | 'all';
  instructor?: string;
  assignee?: 'unassigned' | number;
  submittedAfter?: Date;
  submittedBefore?: Date;
  checks?: 'clean' | 'warnings';
  sort: 'oldest' | 'newest';
  page: number;
  pageSize: number;
}
