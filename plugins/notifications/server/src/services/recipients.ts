/**
 * Who a message goes to and the facts it names: a user's address and preferred language, a
 * course's title and slug in that language, a plan's name, a course's instructor. Read through the
 * Query Engine, so inside a transaction they see its uncommitted rows.
 */
import type { Core } from '@strapi/strapi';
import { ADMIN_USER_UID, COURSE_UID, PLAN_UID, USER_UID } from '@kp/platform';
import { PROFILE_UID } from '../content-types';
import { messageLocale, type MessageLocale } from '../domain/locale';

/** The review plugin's records, read (never written): a submission's assignee and revision, its audit trail. */
const REVIEW_SUBMISSION_UID = 'plugin::review.submission';
const REVIEW_EVENT_UID = 'plugin::review.review-event';

export interface Recipient {
  userId: number;
  email: string;
  locale: MessageLocale;
  displayName: string | null;
}

interface LocalizedRow {
  locale: string | null;
  publishedAt: string | null;
}

/** The row in `locale`, published first, else the English one, else any. */
function pick<T extends LocalizedRow>(rows: T[], locale: string): T | null {
  const order = (r: T) => (r.locale === locale ? 0 : r.locale === 'en' ? 2 : 4) + (r.publishedAt ? 0 : 1);
  return [...rows].sort((a, b) => order(a) - order(b))[0] ?? null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** A user who may receive e-mail (not blocked), with their language; null otherwise. */
  async user(userId: number): Promise<Recipient | null> {
    const user = (await strapi.db.query(USER_UID).findOne({ where: { id: userId }, select: ['id', 'email', 'blocked'] })) as { id: number; email: string | null; blocked: boolean | null } | null;
    if (!user?.email || user.blocked) return null;
    const profile = (await strapi.db.query(PROFILE_UID).findOne({ where: { userId }, select: ['displayName', 'preferredLanguage'] })) as { displayName: string | null; preferredLanguage: string | null } | null;
    return { userId: user.id, email: user.email, locale: messageLocale(profile?.preferredLanguage), displayName: profile?.displayName ?? null };
  },

  /** The user with this address, if any (account e-mails name only the address). */
  async userByEmail(email: string): Promise<Recipient | null> {
    const user = (await strapi.db.query(USER_UID).findOne({ where: { email: email.toLowerCase() }, select: ['id'] })) as { id: number } | null;
    return user ? this.user(user.id) : null;
  },

  /** A course's title and slug in `locale`, and the user id of its instructor. */
  async course(documentId: string, locale: MessageLocale): Promise<{ title: string; slug: string | null; instructorUserId: number | null } | null> {
    const rows = (await strapi.db.query(COURSE_UID).findMany({
      where: { documentId },
      select: ['title', 'slug', 'locale', 'publishedAt'],
      populate: { instructor: { select: ['id'], populate: { user: { select: ['id'] } } } },
    })) as Array<LocalizedRow & { title: string; slug: string | null; instructor?: { user?: { id: number } | null } | null }>;
    const row = pick(rows, locale);
    if (!row) return null;
    const instructorUserId = rows.map((r) => r.instructor?.user?.id).find((id): id is number => typeof id === 'number') ?? null;
    return { title: row.title, slug: row.slug, instructorUserId };
  },

  /**
   * The editor of a course's review: the submission's assignee when it has one, else the editor
   * who last took it ("assign to me" in the review's audit trail). The review plugin clears the
   * assignee when the instructor submits again, so a resubmission after "changes requested" is
   * still routed to the editor who had it. Only an active admin user counts; address and
   * admin-panel language (`preferedLanguage`, Strapi's spelling).
   */
  async reviewAssignee(courseDocumentId: string): Promise<{ email: string; locale: MessageLocale } | null> {
    const row = (await strapi.db.query(REVIEW_SUBMISSION_UID).findOne({
      where: { courseDocumentId },
      select: ['id'],
      populate: { assignee: { select: ['id'] } },
    })) as { assignee?: { id: number } | null } | null;
    let adminId = row?.assignee?.id ?? null;
    if (adminId === null) {
      const taken = (await strapi.db.query(REVIEW_EVENT_UID).findOne({
        where: { courseDocumentId, action: 'assign', actorType: 'editor' },
        select: ['actorId'],
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
      })) as { actorId: number } | null;
      adminId = taken?.actorId ?? null;
    }
    if (adminId === null) return null;
    const a = (await strapi.db.query(ADMIN_USER_UID).findOne({ where: { id: adminId }, select: ['email', 'isActive', 'blocked', 'preferedLanguage'] })) as {
      email: string | null;
      isActive: boolean | null;
      blocked: boolean | null;
      preferedLanguage: string | null;
    } | null;
    if (!a?.email || a.blocked || a.isActive === false) return null;
    return { email: a.email, locale: messageLocale(a.preferedLanguage) };
  },

  /** A submission's revision (1 for a first submission) and the course instructor's display name. */
  async submissionFacts(courseDocumentId: string): Promise<{ revision: number; instructorName: string | null }> {
    const row = (await strapi.db.query(REVIEW_SUBMISSION_UID).findOne({ where: { courseDocumentId }, select: ['revision'] })) as { revision: number | null } | null;
    const course = (await strapi.db.query(COURSE_UID).findOne({
      where: { documentId: courseDocumentId },
      select: ['id'],
      populate: { instructor: { select: ['name'] } },
    })) as { instructor?: { name?: string | null } | null } | null;
    return { revision: row?.revision ?? 1, instructorName: course?.instructor?.name ?? null };
  },

  /** A plan's name in `locale`. */
  async planName(documentId: string | null, locale: MessageLocale): Promise<string> {
    if (!documentId) return locale === 'zh-Hans' ? '订阅' : 'your subscription';
    const rows = (await strapi.db.query(PLAN_UID).findMany({ where: { documentId }, select: ['name', 'locale', 'publishedAt'] })) as Array<LocalizedRow & { name: string }>;
    return pick(rows, locale)?.name ?? (locale === 'zh-Hans' ? '订阅' : 'your subscription');
  },
});
