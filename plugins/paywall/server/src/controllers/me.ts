import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { z } from 'zod';
import { httpError } from '@kp/platform';
import { getService } from '../utils';
import { callerFromContext } from '../services/gate';
import type { entitlementsResponseSchema } from '../routes/schemas';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/paywall/me/entitlements: the caller's access that is valid now, with its validity. */
  async entitlements(ctx: Context) {
    const caller = callerFromContext(ctx);
    if (caller.kind !== 'user') throw httpError(401, 'Log in to see your entitlements.');
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
    } satisfies z.input<typeof entitlementsResponseSchema>;
  },
});
