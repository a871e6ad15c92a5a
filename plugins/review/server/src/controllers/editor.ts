/**
 * Editor routes (admin panel, `/review/...`): the review queue, one submission with its history,
 * and the decisions. Each route is guarded by an RBAC action (see routes/admin.ts), so a super
 * admin decides which admin roles review.
 */
import type { Core } from '@strapi/strapi';
import { COURSE_UID, httpError, inputOf, type ReviewQueueItem, type ReviewQueueResponse, type ReviewSubmission, type ReviewSubmissionDetail } from '@kp/platform';
import { availableActions } from '../domain/states';
import { getService } from '../utils';
import { reviewConfig } from '../config';
import * as routes from '../routes/admin';
import { runTransition, type HttpCtx } from './respond';

type AdminUser = { id: number; firstname?: string | null; lastname?: string | null; username?: string | null };

/** Where the course opens in the Content Manager (relative to the admin panel's root). */
export function contentManagerPath(documentId: string, locale: string): string {
  return `/content-manager/collection-types/${COURSE_UID}/${documentId}?plugins[i18n][locale]=${encodeURIComponent(locale)}`;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const facts = () => getService(strapi, 'course-facts');
  const submissions = () => getService(strapi, 'submissions');

  function admin(ctx: HttpCtx): AdminUser {
    const user = ctx.state.user as AdminUser | undefined;
    if (!user?.id) throw httpError(401, 'Log in to the admin panel.');
    return user;
  }

  async function decorate(records: ReviewSubmission[]): Promise<ReviewQueueItem[]> {
    const locale = await facts().defaultLocale();
    const ids = records.map((r) => r.courseDocumentId);
    const [titles, names, courseFacts] = await Promise.all([
      facts().titlesOf(ids, locale),
      facts().instructorNames(records.map((r) => r.instructorDocumentId ?? '')),
      facts().courseFacts(ids, null),
    ]);
    return records.map((r) => {
      const f = courseFacts.get(r.courseDocumentId);
      const failedRequired = r.checks.filter((c) => c.level === 'required' && !c.passed).length;
      return {
        courseDocumentId: r.courseDocumentId,
        title: titles.get(r.courseDocumentId)?.title ?? null,
        slug: titles.get(r.courseDocumentId)?.slug ?? null,
        state: r.state,
        instructor: r.instructorDocumentId ? { documentId: r.instructorDocumentId, name: names.get(r.instructorDocumentId) ?? null } : null,
        submittedAt: r.submittedAt,
        decidedAt: r.decidedAt,
        revision: r.revision,
        assignee: r.assignee,
        submittedBy: r.submittedBy,
        locales: r.locales,
        live: (f?.publishedLocales.length ?? 0) > 0,
        exists: Boolean(f?.exists),
        checks: r.checks,
        checksSummary: { total: r.checks.length, failedRequired, warnings: r.warnings },
        lastComment: r.lastComment,
        actions: availableActions(r.state, 'editor'),
        contentManagerPath: contentManagerPath(r.courseDocumentId, locale),
      };
    });
  }

  async function actor(ctx: HttpCtx) {
    return submissions().editorActor(admin(ctx));
  }

  return {
    /** GET /review/submissions?state=&instructor=&assignee=&submittedAfter=&submittedBefore=&checks=&sort=&page=&pageSize= */
    async queue(ctx: HttpCtx) {
      const me = admin(ctx);
      const { query: q } = inputOf(ctx, routes.queue);
      const { results, pagination } = await submissions().queue({
        ...q,
        assignee: q.assignee === 'me' ? me.id : q.assignee,
        pageSize: Math.min(q.pageSize, reviewConfig(strapi, 'maxPageSize')),
      });
      const instructorIds = await submissions().instructorsInQueue();
      const names = await facts().instructorNames(instructorIds);
      ctx.body = {
        data: await decorate(results),
        meta: {
          pagination,
          instructors: instructorIds
            .map((documentId) => ({ documentId, name: names.get(documentId) ?? documentId }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          settings: { minCommentLength: reviewConfig(strapi, 'minCommentLength') },
        },
      } satisfies ReviewQueueResponse;
    },

    /** GET /review/submissions/:documentId: one submission with the course outline and its history. */
    async detail(ctx: HttpCtx) {
      admin(ctx);
      const { documentId } = inputOf(ctx, routes.detail).params;
      const record = await submissions().get(documentId);
      if (!record) throw httpError(404, 'This course was never submitted.');
      const [item] = (await decorate([record])) as [ReviewQueueItem];
      const locale = await facts().defaultLocale();
      const outline = await facts().ownCourseDetail(documentId, locale);
      ctx.body = {
        data: {
          ...item,
          course: outline && {
            title: outline.title,
            summary: outline.summary,
            access: outline.access,
            price: outline.price,
            currency: outline.currency,
            cover: outline.cover,
            draftLocales: outline.draftLocales,
            publishedLocales: outline.publishedLocales,
            chapters: outline.chapters.map((c) => ({
              documentId: c.documentId,
              title: c.title,
              position: c.position,
              isPreview: c.isPreview,
              hasContent: (c.body ?? '').trim().length > 0 || Boolean(c.video),
              live: c.live,
            })),
          },
          history: await submissions().history(documentId),
        } satisfies ReviewSubmissionDetail,
      };
    },

    /** POST /review/submissions/:documentId/approve { comment? } */
    async approve(ctx: HttpCtx) {
      const { params, body } = inputOf(ctx, routes.approve);
      const who = await actor(ctx);
      await runTransition(ctx, params.documentId, 'approve', () => submissions().approve(params.documentId, who, body.comment));
    },

    /** POST /review/submissions/:documentId/request-changes { comment } */
    async requestChanges(ctx: HttpCtx) {
      const { params, body } = inputOf(ctx, routes.requestChanges);
      const who = await actor(ctx);
      await runTransition(ctx, params.documentId, 'request_changes', () => submissions().requestChanges(params.documentId, who, body.comment));
    },

    /** POST /review/submissions/:documentId/assign: assign to the caller. */
    async assign(ctx: HttpCtx) {
      const { documentId } = inputOf(ctx, routes.assign).params;
      const who = await actor(ctx);
      await runTransition(ctx, documentId, 'assign', () => submissions().assign(documentId, who));
    },
  };
};
