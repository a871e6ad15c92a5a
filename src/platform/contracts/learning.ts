/** The learning plugin's contract (its records are read by other plugins through the database, not services). */

export const CERTIFICATE_STATES = ['valid', 'revoked'] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];
