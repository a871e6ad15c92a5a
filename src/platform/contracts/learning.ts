/** The learning plugin's contract (its records are read by other plugins through the database, not services). */

export const CERTIFICATE_STATES = ['valid', 'revoked'] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];

/**
 * Payload of `learning.certificate`, announced inside the transaction that issues a certificate
 * (a learner's completion of a course they are entitled to), once per (learner, course).
 */
export interface LearningCertificateEvent {
  /** The public verification code (`GET /api/certificates/:code`). */
  code: string;
  userId: number;
  courseDocumentId: string;
  /** The course title printed on the certificate (in the learner's language when it had one). */
  courseTitle: string;
  /** The learner's locale when the course was completed. */
  language: string;
  /** ISO time of the completion. */
  completedAt: string;
}
