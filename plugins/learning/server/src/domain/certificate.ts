/**
 * Pure rules of certificates: the verification code, the learner's display name, what a public
 * verification reveals, and the guarded revocation transition. No Strapi, no I/O.
 */
import type { CertificateState } from '@kp/platform/contracts';

/** Bytes of randomness in a verification code: 18 bytes = 144 bits, 24 URL-safe characters. */
export const CODE_BYTES = 18;
export const CODE_PATTERN = /^[A-Za-z0-9_-]{24}$/;

/** A verification code from `randomBytes` (injected so tests can fix it): base64url, no padding. */
export function certificateCode(randomBytes: (size: number) => Buffer): string {
  const bytes = randomBytes(CODE_BYTES);
  if (bytes.length !== CODE_BYTES) throw new Error(`expected ${CODE_BYTES} random bytes, got ${bytes.length}`);
  return bytes.toString('base64url');
}

/** Whether a string can be a verification code (checked before any query). */
export function isWellFormedCode(code: string): boolean {
  return CODE_PATTERN.test(code);
}

/** The key of the unique index on `learning_certificates.dedupe_key`: one certificate per (user, course). */
export function certificateKey(userId: number, courseDocumentId: string): string {
  return `${userId}:${courseDocumentId}`;
}

/**
 * The name printed on a certificate. Users-permissions only knows a username, which some
 * frontends fill with the e-mail address: a certificate is public, so an address never goes on
 * it whole, only its local part.
 */
export function displayName(user: { username?: string | null; email?: string | null }): string {
  const raw = (user.username ?? '').trim().replace(/\s+/g, ' ');
  const name = raw.includes('@') ? raw.slice(0, raw.indexOf('@')).trim() : raw;
  if (name.length > 0) return name.slice(0, 120);
  return 'Learner';
}


/** A stored certificate, as the rules see it. */
export interface CertificateFacts {
  code: string;
  state: CertificateState;
  learnerName: string;
  courseDocumentId: string;
  courseSlug: string | null;
  courseTitle: string;
  instructorName: string | null;
  language: string;
  completedAt: Date;
  issuedAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/** What anyone holding the code may read: the facts printed on the certificate, and whether it stands. */
export interface PublicCertificate {
  code: string;
  status: CertificateState;
  learnerName: string;
  course: { documentId: string; slug: string | null; title: string };
  instructorName: string | null;
  language: string;
  completedAt: string;
  issuedAt: string;
  revokedAt: string | null;
}

/**
 * The public verification. Deliberately an allow-list: no user id, no e-mail, and not the
 * revocation reason (an editor's note, shown to the learner only).
 */
export function publicView(c: CertificateFacts): PublicCertificate {
  return {
    code: c.code,
    status: c.state,
    learnerName: c.learnerName,
    course: { documentId: c.courseDocumentId, slug: c.courseSlug, title: c.courseTitle },
    instructorName: c.instructorName,
    language: c.language,
    completedAt: c.completedAt.toISOString(),
    issuedAt: c.issuedAt.toISOString(),
    revokedAt: c.revokedAt ? c.revokedAt.toISOString() : null,
  };
}

/** The learner's own view adds the reason of a revocation. */
export function ownerView(c: CertificateFacts): PublicCertificate & { revokedReason: string | null } {
  return { ...publicView(c), revokedReason: c.revokedReason };
}

export const REASON_MIN = 3;
export const REASON_MAX = 500;

export type RevocationDecision =
  | { ok: true; changes: { state: 'revoked'; revokedReason: string; revokedAt: Date } | { revokedReason: string } | null }
  | { ok: false; reason: 'reason-required' | 'reason-too-long' | 'cannot-reinstate' };

/**
 * An editor's request on a certificate's state. Revoking needs a reason and stamps the time;
 * revocation is final (a certificate anyone may have verified as revoked does not silently come
 * back); a revoked certificate's reason may be corrected; anything else is a no-op.
 */
export function decideRevocation(
  current: { state: CertificateState; revokedReason: string | null },
  requested: { state?: CertificateState; revokedReason?: string | null },
  now: Date
): RevocationDecision {
  const targetState = requested.state ?? current.state;
  const reason = requested.revokedReason === undefined ? current.revokedReason : (requested.revokedReason ?? '').trim();
  if (current.state === 'revoked' && targetState === 'valid') return { ok: false, reason: 'cannot-reinstate' };
  if (targetState === 'valid') return { ok: true, changes: null };
  if (!reason || reason.length < REASON_MIN) return { ok: false, reason: 'reason-required' };
  if (reason.length > REASON_MAX) return { ok: false, reason: 'reason-too-long' };
  if (current.state === 'valid') return { ok: true, changes: { state: 'revoked', revokedReason: reason, revokedAt: now } };
  return { ok: true, changes: reason === current.revokedReason ? null : { revokedReason: reason } };
}

/** The message an editor reads for a refused revocation request. */
export function revocationMessage(reason: Extract<RevocationDecision, { ok: false }>['reason']): string {
  switch (reason) {
    case 'reason-required':
      return `Revoking a certificate needs a reason (revokedReason, at least ${REASON_MIN} characters).`;
    case 'reason-too-long':
      return `The revocation reason is too long (at most ${REASON_MAX} characters).`;
    case 'cannot-reinstate':
      return 'A revoked certificate cannot be made valid again (revocation is final and public).';
    default: {
      const never: never = reason;
      return never;
    }
  }
}
