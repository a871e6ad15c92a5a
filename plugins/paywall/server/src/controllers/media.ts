import fs from 'node:fs';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { assertNever, httpError, inputOf } from '@kp/platform';
import { getService } from '../utils';
import { callerFromContext } from '../services/gate';
import type { Caller, DeniedReason } from '../domain/types';
import type { FileVariant } from '../services/media';
import { media as mediaRoute } from '../routes/content-api';


/** One `bytes=start-end` range (the only form media elements send), or null when absent/unusable. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null; // multi-range or other units: answer the whole file
  const [, a, b] = m;
  let start: number;
  let end: number;
  if (a === '' && b === '') return 'invalid';
  if (a === '') {
    start = Math.max(0, size - Number(b));
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

/** Maps a refusal to its HTTP error; exhaustive, so that a new reason cannot go unanswered. */
function refusal(reason: DeniedReason): Error {
  switch (reason) {
    case 'anonymous':
      return httpError(401, 'Log in to access this file.', { reason });
    case 'no-entitlement':
      return httpError(403, 'This file belongs to a chapter you have not unlocked.', { reason });
    case 'expired':
      return httpError(403, 'Your access to this chapter has expired.', { reason });
    case 'revoked':
      return httpError(403, 'Your access to this chapter was revoked.', { reason });
    case 'drip-locked':
      return httpError(403, 'This file belongs to a chapter that is not open yet (drip release).', { reason });
    case 'draft':
    case 'not-found':
      return httpError(404, 'File not found.');
    default:
      return assertNever(reason, 'denial reason');
  }
}

function safeFilename(name: string): string {
  return name.replace(/[^\w.\- ]+/g, '_').slice(0, 150) || 'file';
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * GET /api/paywall/media/:fileId[?format=small]: a chapter's video or attachment, after the
   * access check. Readers are identified by a signed link (`u`, `e`, `s`, as put in readable
   * chapters by the gate) or by their bearer token; editors by the links admin-panel responses
   * carry. Local storage: streamed from private storage (with Range support); S3: 302 to a
   * pre-signed URL that expires within minutes.
   */
  async show(ctx: Context) {
    const { params, query } = inputOf(ctx, mediaRoute);
    const fileId = params.fileId;
    const link = getService(strapi, 'media-links').verify(fileId, ctx.query as Record<string, unknown>);
    if (link && !link.ok) throw httpError(403, link.message);
    let caller: Caller;
    let format: string | null;
    if (link?.ok) {
      caller = link.claims.userId > 0 ? { kind: 'user', userId: link.claims.userId } : { kind: 'anonymous' };
      format = link.claims.format;
    } else {
      caller = callerFromContext(ctx);
      format = query.format ?? null;
    }

    const media = getService(strapi, 'media');
    const editorId = link?.ok ? link.claims.adminId : undefined;
    const verdict = editorId !== undefined ? await media.authorizeEditor(editorId, fileId, format) : await media.authorize(caller, fileId, format);
    if (!verdict.allowed) {
      if (editorId !== undefined && verdict.reason === 'revoked') throw httpError(403, 'This admin account is not active.');
      throw refusal(verdict.reason);
    }
    const file: FileVariant = verdict.file;
    ctx.set('Cache-Control', 'private, no-store');

    const local = media.localPath(file);
    if (local) {
      const size = fs.statSync(local).size;
      ctx.set('Accept-Ranges', 'bytes');
      ctx.set('Content-Disposition', `inline; filename="${safeFilename(file.name || 'file')}"`);
      ctx.type = file.mime || 'application/octet-stream';
      const range = parseRange(ctx.get('range') || undefined, size);
      if (range === 'invalid') {
        ctx.status = 416;
        ctx.set('Content-Range', `bytes */${size}`);
        ctx.body = null;
        return;
      }
      if (range) {
        ctx.status = 206;
        ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
        ctx.length = range.end - range.start + 1;
        ctx.body = ctx.method === 'HEAD' ? null : fs.createReadStream(local, { start: range.start, end: range.end });
        return;
      }
      ctx.status = 200;
      ctx.length = size;
      ctx.body = ctx.method === 'HEAD' ? null : fs.createReadStream(local);
      return;
    }
    const signed = await media.signedUrl(file);
    if (!signed) throw httpError(404, 'File not found.');
    ctx.status = 302;
    ctx.redirect(signed);
  },
});
