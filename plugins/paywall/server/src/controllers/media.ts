import fs from 'node:fs';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { getService } from '../utils';
import { callerFromContext } from '../services/gate';
import type { Caller, DeniedReason } from '../domain/types';
import type { FileVariant } from '../services/media';

const paramsSchema = z.object({ fileId: z.coerce.number().int().positive().max(2 ** 31 - 1) });
const formatSchema = z.string().regex(/^[a-z0-9_-]{1,40}$/i).optional();

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
      return new errors.UnauthorizedError('Log in to access this file.');
    case 'no-entitlement':
      return new errors.ForbiddenError('This file belongs to a chapter you have not unlocked.');
    case 'expired':
      return new errors.ForbiddenError('Your access to this chapter has expired.');
    case 'revoked':
      return new errors.ForbiddenError('Your access to this chapter was revoked.');
    case 'draft':
    case 'not-found':
      return new errors.NotFoundError('File not found.');
    default: {
      const never: never = reason;
      return new errors.ApplicationError(`unhandled reason ${String(never)}`);
    }
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
    const params = paramsSchema.safeParse(ctx.params);
    if (!params.success) throw new errors.ValidationError('fileId must be a positive integer.');
    const fileId = params.data.fileId;
    const link = getService(strapi, 'media-links').verify(fileId, ctx.query as Record<string, unknown>);
    if (link && !link.ok) throw new errors.ForbiddenError(link.message);
    let caller: Caller;
    let format: string | null;
    if (link?.ok) {
      caller = link.claims.userId > 0 ? { kind: 'user', userId: link.claims.userId } : { kind: 'anonymous' };
      format = link.claims.format;
    } else {
      caller = callerFromContext(ctx);
      const f = formatSchema.safeParse(ctx.query.format);
      if (!f.success) throw new errors.ValidationError('format must be an image format name such as small or thumbnail.');
      format = f.data ?? null;
    }

    const media = getService(strapi, 'media');
    const editorId = link?.ok ? link.claims.adminId : undefined;
    const verdict = editorId !== undefined ? await media.authorizeEditor(editorId, fileId, format) : await media.authorize(caller, fileId, format);
    if (!verdict.allowed) {
      if (editorId !== undefined && verdict.reason === 'revoked') throw new errors.ForbiddenError('This admin account is not active.');
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
    if (!signed) throw new errors.NotFoundError('File not found.');
    ctx.status = 302;
    ctx.redirect(signed);
  },
});
