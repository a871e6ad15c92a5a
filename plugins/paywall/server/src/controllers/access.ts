import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { z } from 'zod';
import { httpError, inputOf } from '@kp/platform';
import { getService } from '../utils';
import { callerFromContext } from '../services/gate';
import { access } from '../routes/content-api';
import type { accessResponseSchema } from '../routes/schemas';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * GET /api/paywall/courses/:documentId/access: the verdict for the caller, its reason, and
   * which chapters (in `locale`) are unlocked. Drafts and unknown courses answer 404 alike.
   */
  async course(ctx: Context) {
    const { params, query } = inputOf(ctx, access);
    const caller = callerFromContext(ctx);
    const report = await getService(strapi, 'access').courseReport(
      caller.kind === 'user' ? { id: caller.userId } : null,
      params.documentId,
      query.locale ?? 'en'
    );
    if (!report.published) throw httpError(404, 'Course not found.');
    const d = report.decision;
    ctx.body = {
      data: {
        courseDocumentId: report.courseDocumentId,
        allowed: d.allowed,
        ...(d.allowed ? { via: d.via } : { reason: d.reason }),
        chapters: report.chapters,
      },
    } satisfies z.input<typeof accessResponseSchema>;
  },
});
