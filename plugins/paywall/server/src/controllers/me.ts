import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { getService } from '../utils';
import { callerFromContext } from '../services/gate';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/paywall/me/entitlements: the caller's access that is valid now, with its validity. */
  async entitlements(ctx: Context) {
    const caller = callerFromContext(ctx);
    if (caller.kind !== 'user') throw new errors.UnauthorizedError('Log in to see your entitlements.');
    const rows = await getService(strapi, 'entitlements').listForUser(caller.userId);
    // sourceRef (payment ids) and notes (editors' remarks) stay server-side.
    ctx.body = {
      data: rows.map((e) => ({
        documentId: e.documentId,
        course: e.courseDocumentId ? { documentId: e.courseDocumentId } : null,
        plan: e.planDocumentId ? { documentId: e.planDocumentId } : null,
        source: e.source,
        status: e.status,
        validFrom: e.validFrom.toISOString(),
        validUntil: e.validUntil ? e.validUntil.toISOString() : null,
      })),
    };
  },
});
