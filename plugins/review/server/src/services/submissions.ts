/**
 * The review state of courses: reads it, and moves it through the domain's state machine. Each
 * transition commits in one transaction with its audit event (and, for approve, the publication),
 * guarded by a conditional update on the state it started from; the `review.transition` event is
 * emitted on `strapi.eventHub` after the commit and can never fail the transition.
 */
import type { Core } from '@strapi/strapi';
import { ADMIN_USER_UID, COURSE_UID, REVIEW_EVENT_UID, SUBMISSION_UID, TRANSITION_EVENT } from '../constants';
import { failedRecommended, failedRequired, runChecks, type CheckResult } from '../domain/checks';
import {
  INITIAL_STATE,
  decideTransition,
  isReviewState,
  type ReviewAction,
  type ReviewState,
  type TransitionDecision,
  type TransitionRefusal,
} from '../domain/states';
import type { PluginConfig } from '../config';
import { getService } from '../utils';

/** Who performs a transition: a users-permissions user (instructor) or an admin user (editor). */
export type Actor =
  | { kind: 'instructor'; id: number; name: string }
  | { kind: 'editor'; id: number; name: string };

export interface SubmissionRecord {
  id: number;
  courseDocumentId: string;
  state: ReviewState;
  instructorDocumentId: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  revision: number;
  checks: CheckResult[];
  locales: string[];
  warnings: number;
  lastComment: string | null;
  assignee: { id: number; name: string } | null;
  submittedBy: { id: number; username: string } | null;
}

export interface ReviewEventRecord {
  id: number;
  courseDocumentId: string;
  action: ReviewAction;
  from: ReviewState;
  to: ReviewState;
  actor: { type: 'instructor' | 'editor'; id: number; name: string | null };
  comment: string | null;
  checks: CheckResult[] | null;
  at: string;
}

/** Payload of the `review.transition` event. */
export interface TransitionEventPayload {
  courseDocumentId: string;
  action: ReviewAction;
  from: ReviewState;
  to: ReviewState;
  actor: Actor;
  comment: string | null;
  at: string;
}

export type TransitionOutcome =
  | { ok: true; changed: true; from: ReviewState; to: ReviewState; submission: SubmissionRecord; checks?: CheckResult[] }
  | { ok: true; changed: false; state: ReviewState; submission: SubmissionRecord | null }
  | { ok: false; reason: Exclude<TransitionRefusal, 'already'>; state: ReviewState; checks?: CheckResult[] };

/** Another request moved the same course first (or created its row): retry after reading again. */
export class TransitionConflictError extends Error {
  constructor(courseDocumentId: string) {
    super(`The review state of course ${courseDocumentId} changed during this request: reload and try again.`);
    this.name = 'TransitionConflictError';
  }
}

type Row = Record<string, any>;

const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);

/** A short display name for an admin user: first name and initial, never the e-mail address. */
export function editorDisplayName(u: { firstname?: string | null; lastname?: string | null; username?: string | null } | null | undefined): string {
  if (!u) return 'Editor';
  const first = (u.firstname ?? '').trim();
  const last = (u.lastname ?? '').trim();
  const name = [first, last ? `${last[0]}.` : ''].filter(Boolean).join(' ');
  return name || (u.username ?? '').trim() || 'Editor';
}

function toRecord(row: Row): SubmissionRecord {
  const checks = Array.isArray(row.checks) ? (row.checks as CheckResult[]) : [];
  return {
    id: row.id,
    courseDocumentId: row.courseDocumentId,
    state: isReviewState(row.state) ? row.state : INITIAL_STATE,
    instructorDocumentId: row.instructorDocumentId ?? null,
    submittedAt: iso(row.submittedAt),
    decidedAt: iso(row.decidedAt),
    revision: row.revision ?? 0,
    checks,
    locales: Array.isArray(row.locales) ? row.locales : [],
    warnings: row.warnings ?? failedRecommended(checks).length,
    lastComment: row.lastComment ?? null,
    assignee: row.assignee ? { id: row.assignee.id, name: editorDisplayName(row.assignee) } : null,
    submittedBy: row.submittedBy ? { id: row.submittedBy.id, username: row.submittedBy.username } : null,
  };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return Boolean(e && (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || /unique constraint|UNIQUE constraint failed/i.test(e.message ?? '')));
}

const POPULATE = {
  assignee: { select: ['id', 'firstname', 'lastname', 'username'] },
  submittedBy: { select: ['id', 'username'] },
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const submissions = () => strapi.db.query(SUBMISSION_UID);
  const events = () => strapi.db.query(REVIEW_EVENT_UID);
  const config = () => strapi.config.get('plugin::review') as PluginConfig;

  /**
   * PostgreSQL: lock the course's rows for the rest of the transaction, so that a transition and an
   * instructor's edit of the same course run one after the other. SQLite has a single writer and
   * Strapi's pool serialises its transactions already.
   */
  async function lockCourses(trx: unknown, courseDocumentIds: string[]): Promise<void> {
    const client = (strapi.db.config.connection as { client?: string }).client;
    if (client !== 'postgres' || courseDocumentIds.length === 0) return;
    const table = strapi.db.metadata.get(COURSE_UID).tableName;
    const knexTrx = trx as import('knex').Knex.Transaction;
    await knexTrx(table).select('id').whereIn('document_id', courseDocumentIds).forUpdate();
  }

  async function findRow(courseDocumentId: string): Promise<Row | null> {
    return (await submissions().findOne({ where: { courseDocumentId }, populate: POPULATE })) as Row | null;
  }

  function emit(payload: TransitionEventPayload) {
    try {
      Promise.resolve(strapi.eventHub.emit(TRANSITION_EVENT, payload)).catch((err: unknown) =>
        strapi.log.error(`[review] a ${TRANSITION_EVENT} listener failed: ${(err as Error)?.message ?? err}`)
      );
    } catch (err) {
      strapi.log.error(`[review] emitting ${TRANSITION_EVENT} failed: ${(err as Error)?.message ?? err}`);
    }
  }

  /**
   * Writes an allowed transition: the row (created on a course's first transition, otherwise
   * updated only if it is still in the state the decision started from) and its audit event.
   */
  async function write(
    courseDocumentId: string,
    row: Row | null,
    decision: Extract<TransitionDecision, { ok: true }>,
    actor: Actor,
    patch: { scalars?: Row; relations?: Row; comment?: string | null; checks?: CheckResult[] | null },
    onCommit: (cb: () => void) => void
  ): Promise<SubmissionRecord> {
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
    const payload: TransitionEventPayload = {
      courseDocumentId,
      action: decision.action,
      from: decision.from,
      to: decision.to,
      actor,
      comment: patch.comment ?? null,
      at: at.toISOString(),
    };
    onCommit(() => emit(payload));
    return toRecord((await findRow(courseDocumentId))!);
  }

  function refused(decision: Extract<TransitionDecision, { ok: false }>, row: Row | null, checks?: CheckResult[]): TransitionOutcome {
    if (decision.reason === 'already') return { ok: true, changed: false, state: decision.from, submission: row ? toRecord(row) : null };
    return { ok: false, reason: decision.reason, state: decision.from, ...(checks ? { checks } : {}) };
  }

  const api = {
    lockCourses,

    async get(courseDocumentId: string): Promise<SubmissionRecord | null> {
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

    async recordsOf(courseDocumentIds: string[]): Promise<Map<string, SubmissionRecord>> {
      const out = new Map<string, SubmissionRecord>();
      if (courseDocumentIds.length === 0) return out;
      const rows = (await submissions().findMany({ where: { courseDocumentId: { $in: [...new Set(courseDocumentIds)] } }, populate: POPULATE })) as Row[];
      for (const r of rows) out.set(r.courseDocumentId, toRecord(r));
      return out;
    },

    /** Runs the checklist on the course's draft in the default locale, without changing anything. */
    async runChecks(courseDocumentId: string): Promise<CheckResult[]> {
      const facts = getService(strapi, 'course-facts');
      const snapshot = await facts.snapshot(courseDocumentId, await facts.defaultLocale());
      return runChecks(snapshot, config().checks);
    },

    /** Instructor submits: checks run; any failing required check refuses with the full list. */
    async submit(courseDocumentId: string, actor: Actor, instructorDocumentId: string): Promise<TransitionOutcome> {
      const facts = getService(strapi, 'course-facts');
      return strapi.db.transaction(async ({ trx, onCommit }): Promise<TransitionOutcome> => {
        await lockCourses(trx, [courseDocumentId]);
        const row = await findRow(courseDocumentId);
        const from: ReviewState = row && isReviewState(row.state) ? row.state : INITIAL_STATE;
        const checks = await api.runChecks(courseDocumentId);
        const decision = decideTransition({
          from,
          action: 'submit',
          actor: actor.kind,
          failedRequiredChecks: failedRequired(checks).map((c) => c.id),
        });
        if (!decision.ok) return refused(decision, row, checks);
        const locales = (await facts.courseFacts([courseDocumentId], null)).get(courseDocumentId)?.draftLocales ?? [];
        const submission = await write(
          courseDocumentId,
          row,
          decision,
          actor,
          {
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
          },
          onCommit
        );
        return { ok: true, changed: true, from: decision.from, to: decision.to, submission, checks };
      });
    },

    /** Instructor takes a submission back to draft (to edit it before the editor acts). */
    async withdraw(courseDocumentId: string, actor: Actor): Promise<TransitionOutcome> {
      return strapi.db.transaction(async ({ trx, onCommit }): Promise<TransitionOutcome> => {
        await lockCourses(trx, [courseDocumentId]);
        const row = await findRow(courseDocumentId);
        const from: ReviewState = row && isReviewState(row.state) ? row.state : INITIAL_STATE;
        const decision = decideTransition({ from, action: 'withdraw', actor: actor.kind });
        if (!decision.ok) return refused(decision, row);
        const submission = await write(courseDocumentId, row, decision, actor, { relations: { assignee: null } }, onCommit);
        return { ok: true, changed: true, from: decision.from, to: decision.to, submission };
      });
    },

    /** Editor sends the course back with a comment (required). */
    async requestChanges(courseDocumentId: string, actor: Actor, comment: string): Promise<TransitionOutcome> {
      return strapi.db.transaction(async ({ trx, onCommit }): Promise<TransitionOutcome> => {
        await lockCourses(trx, [courseDocumentId]);
        const row = await findRow(courseDocumentId);
        const from: ReviewState = row && isReviewState(row.state) ? row.state : INITIAL_STATE;
        const decision = decideTransition({ from, action: 'request_changes', actor: actor.kind, comment, minCommentLength: config().minCommentLength });
        if (!decision.ok) return refused(decision, row);
        const text = comment.trim();
        const submission = await write(courseDocumentId, row, decision, actor, { scalars: { decidedAt: new Date(), lastComment: text }, comment: text }, onCommit);
        return { ok: true, changed: true, from: decision.from, to: decision.to, submission };
      });
    },

    /** Editor approves: the course and its chapters are published in every locale that has a draft, as this editor. */
    async approve(courseDocumentId: string, actor: Actor, comment?: string | null): Promise<TransitionOutcome> {
      return strapi.db.transaction(async ({ trx, onCommit }): Promise<TransitionOutcome> => {
        await lockCourses(trx, [courseDocumentId]);
        const row = await findRow(courseDocumentId);
        const from: ReviewState = row && isReviewState(row.state) ? row.state : INITIAL_STATE;
        const decision = decideTransition({ from, action: 'approve', actor: actor.kind });
        if (!decision.ok) return refused(decision, row);
        await getService(strapi, 'publisher').publishCourse(courseDocumentId, actor.id);
        const text = comment?.trim() || null;
        const submission = await write(courseDocumentId, row, decision, actor, { scalars: { decidedAt: new Date(), lastComment: text }, comment: text }, onCommit);
        return { ok: true, changed: true, from: decision.from, to: decision.to, submission };
      });
    },

    /** Editor takes a submission in review for themself. */
    async assign(courseDocumentId: string, actor: Actor): Promise<TransitionOutcome> {
      return strapi.db.transaction(async ({ trx, onCommit }): Promise<TransitionOutcome> => {
        await lockCourses(trx, [courseDocumentId]);
        const row = await findRow(courseDocumentId);
        const from: ReviewState = row && isReviewState(row.state) ? row.state : INITIAL_STATE;
        const decision = decideTransition({ from, action: 'assign', actor: actor.kind });
        if (!decision.ok) return refused(decision, row);
        if (row?.assignee?.id === actor.id) return { ok: true, changed: false, state: from, submission: toRecord(row) };
        const submission = await write(courseDocumentId, row, decision, actor, { relations: { assignee: actor.id } }, onCommit);
        return { ok: true, changed: true, from: decision.from, to: decision.to, submission };
      });
    },

    /**
     * The first instructor edit of an approved course moves it back to draft, so that the queue and
     * the instructor's list never call unreviewed changes approved. Runs inside the edit's
     * transaction (the caller holds the course lock).
     */
    async reopenIfApproved(courseDocumentId: string, actor: Actor): Promise<boolean> {
      return strapi.db.transaction(async ({ onCommit }) => {
        const row = await findRow(courseDocumentId);
        if (!row || row.state !== 'approved') return false;
        const decision = decideTransition({ from: 'approved', action: 'reopen', actor: actor.kind });
        if (!decision.ok) return false;
        await write(courseDocumentId, row, decision, actor, {}, onCommit);
        return true;
      });
    },

    /** Forgets the state of a course that no longer exists (its events stay). */
    async forget(courseDocumentId: string): Promise<void> {
      await submissions().deleteMany({ where: { courseDocumentId } });
    },

    /** The course's audit trail, oldest first. */
    async history(courseDocumentId: string): Promise<ReviewEventRecord[]> {
      const rows = (await events().findMany({ where: { courseDocumentId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] })) as Row[];
      return rows.map((r) => ({
        id: r.id,
        courseDocumentId: r.courseDocumentId,
        action: r.action,
        from: r.fromState,
        to: r.toState,
        actor: { type: r.actorType, id: r.actorId, name: r.actorName ?? null },
        comment: r.comment ?? null,
        checks: Array.isArray(r.checks) ? r.checks : null,
        at: iso(r.at)!,
      }));
    },

    /** Queue page for editors. */
    async queue(filter: QueueFilter): Promise<{ results: SubmissionRecord[]; pagination: { page: number; pageSize: number; pageCount: number; total: number } }> {
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
    async editorActor(adminUser: { id: number; firstname?: string | null; lastname?: string | null; username?: string | null }): Promise<Actor> {
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
