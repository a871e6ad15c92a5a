import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { getService } from '../utils';
import { callerFromContext } from '../services/gate';

const paramsSchema = z.object({ documentId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) });
const querySchema = z.object({ locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).optional() });

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * GET /api/paywall/courses/:documentId/access: the verdict for the caller, its reason, and
   * which chapters (in `locale`) are unlocked. Drafts and unknown courses answer 404 alike.
   */
  async course(ctx: Context) {
    const params = paramsSchema.safeParse(ctx.params);
    if (!params.success) throw new errors.ValidationError('documentId must be a course documentId.');
    const query = querySchema.safeParse(ctx.query ?? {});
    if (!query.success) throw new errors.ValidationError('locale must be a locale code such as en or zh-Hans.');
    const caller = callerFromContext(ctx);
    const report = await getService(strapi, 'access').courseReport(
      caller.kind === 'user' ? { id: caller.userId } : null,
      params.data.documentId,
      query.data.locale ?? 'en'
    );
    const d = report.decision;
    if (!report.published) {
      throw new errors.NotFoundError('Course not found.');
    }
    ctx.body = {
      data: {
        courseDocumentId: report.courseDocumentId,
        allowed: d.allowed,
        ...(d.allowed ? { via: d.via } : { reason: d.reason }),
        chapters: report.chapters,
      },
    };
  },
});
