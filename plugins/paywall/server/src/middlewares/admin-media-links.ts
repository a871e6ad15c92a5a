import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { signRoutePaths } from '../domain/route-paths';
import type { MediaLinks } from '../services/media-links';

/**
 * Editors read everything in the admin panel, but a privately stored file's `url` is the bare
 * media-route path, which an `<img>` or `<video>` in the media library or the Content Manager
 * would request without credentials. In responses to an authenticated admin-panel session only,
 * those paths become editor links (signed for that admin user, short-lived); the media route
 * checks the signature and that the account is still active. Content-API responses are never
 * touched: nothing here runs unless the admin strategy authenticated the request.
 */
export function adminMediaLinks(strapi: Core.Strapi, links: MediaLinks) {
  return async (ctx: Context, next: Next) => {
    await next();
    const auth = ctx.state?.auth as { strategy?: { name?: string }; credentials?: { id?: unknown } } | undefined;
    if (auth?.strategy?.name !== 'admin') return;
    const adminId = auth.credentials?.id;
    if (typeof adminId !== 'number' || !Number.isInteger(adminId)) return;
    const body: unknown = ctx.body;
    if (!body || typeof body !== 'object' || Buffer.isBuffer(body) || typeof (body as { pipe?: unknown }).pipe === 'function') return;
    const now = new Date();
    try {
      signRoutePaths(body, (url) => links.parseRoutePath(url), (fileId, format) => links.editorLink(fileId, adminId, format, now));
    } catch (err) {
      strapi.log.error(`paywall: could not sign media links in an admin response: ${(err as Error).message}`);
    }
  };
}
