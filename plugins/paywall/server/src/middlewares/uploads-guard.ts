import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { getService } from '../utils';

/**
 * Keeps chapter videos and attachments off the public `/uploads/...` URLs that the local upload
 * provider serves: such a file answers 404 there for everyone, and is delivered only by
 * `GET /api/paywall/media/:fileId` after the access check. Covers, avatars and other media stay
 * public. One indexed lookup per `/uploads` request.
 */
export function uploadsGuard(strapi: Core.Strapi) {
  return async (ctx: Context, next: Next) => {
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.path.startsWith('/uploads/')) {
      let gated = true; // fail closed: when the check cannot run, nothing is served
      try {
        gated = await getService(strapi, 'media').isGatedUploadPath(decodeURIComponent(ctx.path));
      } catch (err) {
        strapi.log.error(`paywall: uploads guard could not check ${ctx.path}: ${(err as Error).message}`);
      }
      if (gated) {
        ctx.status = 404;
        ctx.body = { data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found', details: {} } };
        return;
      }
    }
    await next();
  };
}
