import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { announce, isUniqueViolation, type CertificateState } from '@kp/platform';
import { CERTIFICATE_UID } from '../constants';
import { certificateCode, certificateKey, displayName, type CertificateFacts } from '../domain/certificate';
import { pickLocalized } from '../domain/locale';
import { getService, locales } from '../utils';

interface CertificateRow {
  id: number;
  documentId: string;
  code: string;
  state: CertificateState | null;
  learnerName: string;
  courseDocumentId: string;
  courseSlug: string | null;
  courseTitle: string;
  instructorName: string | null;
  language: string;
  completedAt: string | Date;
  createdAt: string | Date;
  revokedAt: string | Date | null;
  revokedReason: string | null;
}

const SELECT = [
  'id',
  'documentId',
  'code',
  'state',
  'learnerName',
  'courseDocumentId',
  'courseSlug',
  'courseTitle',
  'instructorName',
  'language',
  'completedAt',
  'createdAt',
  'revokedAt',
  'revokedReason',
];

export interface IssueInput {
  user: { id: number; username?: string | null; email?: string | null };
  courseDocumentId: string;
  /** The learner's locale: the course title is stored in it (falling back to the default locale). */
  language: string;
  completedAt: Date;
}

export type IssueResult = { certificate: CertificateFacts; issued: boolean };

/** Rows to facts: dates as Dates, whatever the driver returned. */
export function toFacts(row: CertificateRow): CertificateFacts {
  return {
    code: row.code,
    state: row.state === 'revoked' ? 'revoked' : 'valid',
    learnerName: row.learnerName,
    courseDocumentId: row.courseDocumentId,
    courseSlug: row.courseSlug ?? null,
    courseTitle: row.courseTitle,
    instructorName: row.instructorName ?? null,
    language: row.language,
    completedAt: new Date(row.completedAt),
    issuedAt: new Date(row.createdAt),
    revokedAt: row.revokedAt ? new Date(row.revokedAt) : null,
    revokedReason: row.revokedReason ?? null,
  };
}

/**
 * Certificates: issued once per (learner, course), read by their owner, verified by anyone with
 * the code. Writes go through the Query Engine: the Document Service is reserved to editors, and
 * a guard there lets them change the state and reason only (see `document-guard.ts`).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(CERTIFICATE_UID);

  async function byKey(userId: number, courseDocumentId: string): Promise<CertificateFacts | null> {
    const row = (await query().findOne({ where: { dedupeKey: certificateKey(userId, courseDocumentId) }, select: SELECT })) as CertificateRow | null;
    return row ? toFacts(row) : null;
  }

  return {
    /** One certificate by its verification code (callers check the code's shape first). */
    async findByCode(code: string): Promise<CertificateFacts | null> {
      const row = (await query().findOne({ where: { code }, select: SELECT })) as CertificateRow | null;
      return row ? toFacts(row) : null;
    },

    /** A learner's certificates, newest completion first. */
    async listForUser(userId: number): Promise<CertificateFacts[]> {
      const rows = (await query().findMany({
        where: { learner: { id: userId } },
        select: SELECT,
        orderBy: [{ completedAt: 'desc' }, { id: 'desc' }],
      })) as CertificateRow[];
      return rows.map(toFacts);
    },

    /** The learner's certificates for these courses, in one indexed query. */
    async forUserCourses(userId: number, courseDocumentIds: readonly string[]): Promise<Map<string, CertificateFacts>> {
      const out = new Map<string, CertificateFacts>();
      if (courseDocumentIds.length === 0) return out;
      const rows = (await query().findMany({
        where: { dedupeKey: { $in: courseDocumentIds.map((id) => certificateKey(userId, id)) } },
        select: SELECT,
      })) as CertificateRow[];
      for (const row of rows) out.set(row.courseDocumentId, toFacts(row));
      return out;
    },

    byKey,

    /**
     * Issues the certificate of a completed course, once. The caller has decided the course is
     * complete and the learner entitled. Two concurrent completions both get here: the unique
     * index on `dedupe_key` lets one insert win, the other reads the winner's row (`issued: false`).
     * An existing certificate, revoked included, is never replaced. Null when the course is not
     * published any more.
     */
    async issue(input: IssueInput): Promise<IssueResult | null> {
      const existing = await byKey(input.user.id, input.courseDocumentId);
      if (existing) return { certificate: existing, issued: false };

      const course = (await getService(strapi, 'catalogue').courses([input.courseDocumentId])).get(input.courseDocumentId);
      if (!course) return null;
      const defaultLocale = locales(strapi)[0]!;
      const title = pickLocalized(course.titles, input.language, defaultLocale) ?? course.slug ?? input.courseDocumentId;

      // A second attempt only matters if the 144-bit code collided, which it will not; the loop
      // keeps a collision from surfacing as a 500 all the same.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          // The row and the `learning.certificate` announcement commit together: a listener's
          // outbox row (the learner's message) is written in this transaction or not at all.
          const row = await strapi.db.transaction(async () => {
            const created = (await query().create({
              data: {
                learner: input.user.id,
                learnerName: displayName(input.user),
                courseDocumentId: input.courseDocumentId,
                courseSlug: course.slug,
                courseTitle: title.slice(0, 200),
                instructorName: course.instructorName,
                language: input.language,
                completedAt: input.completedAt,
                code: certificateCode(randomBytes),
                state: 'valid',
                dedupeKey: certificateKey(input.user.id, input.courseDocumentId),
                publishedAt: new Date(),
              },
              select: SELECT,
            })) as CertificateRow;
            await announce(strapi, 'learning.certificate', {
              code: created.code,
              userId: input.user.id,
              courseDocumentId: created.courseDocumentId,
              courseTitle: created.courseTitle,
              language: created.language,
              completedAt: new Date(created.completedAt).toISOString(),
            });
            return created;
          });
          return { certificate: toFacts(row), issued: true };
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          const winner = await byKey(input.user.id, input.courseDocumentId);
          if (winner) return { certificate: winner, issued: false };
        }
      }
      throw new Error('could not issue a certificate: repeated code collisions');
    },
  };
};
