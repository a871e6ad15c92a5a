/**
 * The one question every read path asks: may this caller read the gated fields (body, video,
 * attachments) of this chapter — or, with `chapter = null`, of the non-preview chapters of this
 * course? Pure: facts in, verdict out; `now` and the configuration are parameters.
 */
import type {
  AccessConfig,
  AccessDecision,
  Caller,
  ChapterFacts,
  CourseFacts,
  EntitlementFacts,
  EntitlementSource,
} from './types';

export type EntitlementValidity = 'valid' | 'not-started' | 'expired' | 'revoked';

/**
 * Whether an entitlement grants access at `now`, whatever it covers.
 * - `revoked` never allows (refunds, lost disputes, cancellations, editors' revocations).
 * - `active` allows from `validFrom` until `validUntil` (open-ended when null).
 * - `past_due` (a subscription whose renewal failed and that Stripe is still retrying) allows for
 *   the grace period only: counted from when it became past due and from the end of the paid
 *   period, whichever ends first, so that neither reading of "period end" by the caller stretches it.
 */
export function entitlementValidity(e: EntitlementFacts, now: Date, config: AccessConfig): EntitlementValidity {
  if (e.status === 'revoked') return 'revoked';
  const t = now.getTime();
  if (e.validFrom && t < e.validFrom.getTime()) return 'not-started';
  if (e.status === 'active') {
    return e.validUntil === null || t < e.validUntil.getTime() ? 'valid' : 'expired';
  }
  // past_due
  if (config.pastDueGraceMs <= 0) return 'expired';
  const ends: number[] = [];
  if (e.pastDueSince) ends.push(e.pastDueSince.getTime() + config.pastDueGraceMs);
  if (e.validUntil) ends.push(e.validUntil.getTime() + config.pastDueGraceMs);
  // Neither date known: the grace cannot be bounded, so it is not granted.
  if (ends.length === 0) return 'expired';
  return ends.every((end) => t < end) ? 'valid' : 'expired';
}

/** What coverage needs to know of a course. */
export type CoveredCourse = Pick<CourseFacts, 'documentId' | 'access'>;

/**
 * Whether an entitlement's target includes this course (directly, or through its plan). The one
 * statement of which plan covers which course (checkout asks the same decision before selling):
 * - a course entitlement covers that course;
 * - a plan covers the courses it lists, whatever their access (an editor listed them on purpose);
 * - an all-access plan also covers every course whose access is `subscription` — not `paid`
 *   courses, which are sold one by one: a subscriber can still buy one.
 */
export function entitlementCovers(e: EntitlementFacts, course: CoveredCourse): boolean {
  if (e.courseDocumentId !== null) return e.courseDocumentId === course.documentId;
  if (e.planDocumentId !== null && e.plan) {
    return e.plan.courseDocumentIds.has(course.documentId) || (e.plan.allAccess && course.access === 'subscription');
  }
  return false;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Drip release: when a course has drip on and a chapter a positive `dripDays`, the chapter opens
 * `dripDays` days after the learner's access to the course began — the earliest start among the
 * valid entitlements covering it (a learner who bought the course and later subscribed keeps the
 * purchase's calendar). An entitlement without a known start counts as started long ago. Returns
 * when the chapter opens if that is after `now`, else null (open).
 */
export function dripUnlocksAt(
  course: CourseFacts,
  chapter: ChapterFacts,
  entitlements: readonly EntitlementFacts[],
  now: Date,
  config: AccessConfig
): Date | null {
  const days = chapter.dripDays ?? 0;
  if (!course.dripEnabled || !Number.isFinite(days) || days <= 0) return null;
  let start: number | null = null;
  for (const e of entitlements) {
    if (!entitlementCovers(e, course) || entitlementValidity(e, now, config) !== 'valid') continue;
    const from = e.validFrom ? e.validFrom.getTime() : Number.NEGATIVE_INFINITY;
    if (start === null || from < start) start = from;
  }
  if (start === null || start === Number.NEGATIVE_INFINITY) return null;
  const opens = start + days * DAY_MS;
  return now.getTime() < opens ? new Date(opens) : null;
}

/** When several entitlements allow, the answer names the strongest: a purchase outlives a plan. */
const SOURCE_RANK: Record<EntitlementSource, number> = { purchase: 0, subscription: 1, grant: 2 };

/**
 * The best valid entitlement covering the course, or why none does: `expired` before `revoked`
 * (an expired one is renewable, which is what a frontend should say), `no-entitlement` otherwise.
 */
export function bestCoverage(
  entitlements: readonly EntitlementFacts[],
  course: CoveredCourse,
  now: Date,
  config: AccessConfig
): { covered: true; entitlement: EntitlementFacts } | { covered: false; reason: 'no-entitlement' | 'expired' | 'revoked' } {
  let best: EntitlementFacts | null = null;
  let sawExpired = false;
  let sawRevoked = false;
  for (const e of entitlements) {
    if (!entitlementCovers(e, course)) continue;
    const validity = entitlementValidity(e, now, config);
    if (validity === 'valid') {
      if (!best || SOURCE_RANK[e.source] < SOURCE_RANK[best.source]) best = e;
    } else if (validity === 'expired') sawExpired = true;
    else if (validity === 'revoked') sawRevoked = true;
  }
  if (best) return { covered: true, entitlement: best };
  return { covered: false, reason: sawExpired ? 'expired' : sawRevoked ? 'revoked' : 'no-entitlement' };
}

/**
 * May `caller` read the gated fields of `chapter` (or, with `chapter = null`, of the course's
 * non-preview chapters)? `course` is null when the chapter has no course or the course does not
 * exist. Order: existence, the course's own instructor, publication, then free course, preview
 * chapter, the caller's entitlements, and finally the chapter's drip release (`drip-locked` with
 * `unlocksAt`).
 */
export function decideAccess(
  caller: Caller,
  course: CourseFacts | null,
  chapter: ChapterFacts | null,
  entitlements: readonly EntitlementFacts[],
  now: Date,
  config: AccessConfig
): AccessDecision {
  if (!course) return { allowed: false, reason: 'not-found' };
  // The course's own instructor reads its chapters, drafts included (the response to their own
  // write, the review workflow): it is their content.
  if (caller.kind === 'user' && course.instructorUserId !== null && course.instructorUserId === caller.userId) {
    return { allowed: true, via: 'instructor' };
  }
  // Drafts are nobody else's: not even free or preview content of an unpublished version.
  if (!course.published || (chapter && !chapter.published)) return { allowed: false, reason: 'draft' };
  if (course.access === 'free') return { allowed: true, via: 'free' };
  if (chapter?.isPreview) return { allowed: true, via: 'preview' };
  if (caller.kind === 'anonymous') return { allowed: false, reason: 'anonymous' };
  const coverage = bestCoverage(entitlements, course, now, config);
  if (coverage.covered) {
    // Drip release holds back a chapter of a course the learner has; free courses, previews and
    // the instructor were answered above and never wait.
    const unlocksAt = chapter ? dripUnlocksAt(course, chapter, entitlements, now, config) : null;
    if (unlocksAt) return { allowed: false, reason: 'drip-locked', unlocksAt };
    return { allowed: true, via: coverage.entitlement.source };
  }
  return { allowed: false, reason: coverage.reason };
}
