/**
 * Errors this plugin answers with a status Strapi's error middleware does not map (it turns every
 * ApplicationError it does not know into 400). Controllers run through `respond()`, which writes
 * these in Strapi's error shape; anything else goes on to Strapi's middleware.
 */
export class LearningHttpError extends Error {
  constructor(
    readonly status: 410 | 503,
    name: string,
    message: string
  ) {
    super(message);
    this.name = name;
  }
}

/** 503: a dependency (the paywall, the CJK font) is missing; fails closed and names the fix. */
export const serviceUnavailable = (message: string) => new LearningHttpError(503, 'ServiceUnavailableError', message);

/** 410: the resource existed and is withdrawn on purpose (a revoked certificate's PDF). */
export const gone = (message: string) => new LearningHttpError(410, 'GoneError', message);

/** True for a unique-index violation on PostgreSQL (23505) or SQLite (better-sqlite3). */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
  const message = String((error as { message?: unknown }).message ?? '');
  return /UNIQUE constraint failed|duplicate key value violates unique constraint/i.test(message);
}
