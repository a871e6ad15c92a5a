/**
 * Rows of the review tables as the review API answers them: a submission row (with its assignee
 * and submitter) as a `ReviewSubmission`, an audit row as a `ReviewHistoryEvent`. Pure mapping, no
 * queries.
 */
import type { ReviewHistoryEvent, ReviewSubmission } from '@kp/platform';
import { failedRecommended, type CheckResult } from '../domain/checks';
import { INITIAL_STATE, isReviewState } from '../domain/states';

/** A row as the Query Engine returns it. */
export type Row = Record<string, any>;

const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);

/** A short display name for an admin user: first name and initial, never the e-mail address. */
export function editorDisplayName(u: { firstname?: string | null; lastname?: string | null; username?: string | null } | null | undefined): string {
  if (!u) return 'Editor';
  const first = (u.firstname ?? '').trim();
  const last = (u.lastname ?? '').trim();
  const name = [first, last ? `${last[0]}.` : ''].filter(Boolean).join(' ');
  return name || (u.username ?? '').trim() || 'Editor';
}

/** A submission row, populated with POPULATE. */
export function toRecord(row: Row): ReviewSubmission {
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

/** The relations a submission answer shows (never an editor's e-mail). */
export const POPULATE = {
  assignee: { select: ['id', 'firstname', 'lastname', 'username'] },
  submittedBy: { select: ['id', 'username'] },
};

/** An audit event row. */
export function toHistoryEvent(r: Row): ReviewHistoryEvent {
  return {
    id: r.id,
    courseDocumentId: r.courseDocumentId,
    action: r.action,
    from: r.fromState,
    to: r.toState,
    actor: { type: r.actorType, id: r.actorId, name: r.actorName ?? null },
    comment: r.comment ?? null,
    checks: Array.isArray(r.checks) ? r.checks : null,
    at: iso(r.at)!,
  };
}
