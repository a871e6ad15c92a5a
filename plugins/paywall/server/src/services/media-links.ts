/**
 * Links to the media route. A `<video src>` or `<a href>` cannot send the bearer token a
 * frontend keeps, so readable chapters carry links that name the reader and expire; the media
 * route checks the signature AND the reader's access again on every request (so a refund takes
 * effect at once, whatever the link's lifetime). Stateless: any instance verifies any link.
 *
 * Three forms:
 * - the route path alone, `/api/paywall/media/7[?format=thumbnail]`: what a privately stored
 *   file's `url` holds in the database (it names the route, never where the bytes are); it works
 *   with a bearer token;
 * - a reader's link, `...?u=<userId|0>&e=<expiry>&s=<mac>`, put in readable chapters;
 * - an editor's link, `...?a=<adminId>&e=<expiry>&s=<mac>`, put in admin-panel responses only, so
 *   that the media library and the Content Manager can preview gated files.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { paywallConfig } from '../config';

export interface MediaLinkClaims {
  fileId: number;
  format: string | null;
  /** users-permissions user id, 0 for an anonymous reader (free and preview chapters). */
  userId: number;
  /** Set instead of a reader for an admin-panel user's link. */
  adminId?: number;
  /** Expiry, seconds since the epoch. */
  expires: number;
}

const FORMAT_RE = /^[a-z0-9_-]{1,40}$/i;
const ROUTE_PATH_RE = /^\/paywall\/media\/([1-9]\d{0,9})(?:\?format=([a-z0-9_-]{1,40}))?$/i;

function keyFor(strapi: Core.Strapi): Buffer {
  const keys = strapi.config.get('server.app.keys') as string[] | string | undefined;
  const first = Array.isArray(keys) ? keys[0] : typeof keys === 'string' ? keys.split(',')[0] : undefined;
  if (!first) throw new Error('paywall: server.app.keys (APP_KEYS) is required to sign media links');
  // A key of its own, derived, so that a media link can never double as anything else Strapi signs.
  return createHmac('sha256', first).update('paywall/media-link/v1').digest();
}

function mac(key: Buffer, c: MediaLinkClaims): string {
  // An editor's id is written with a prefix: a reader's link can never verify as an editor's.
  const who = c.adminId !== undefined ? `a${c.adminId}` : String(c.userId);
  return createHmac('sha256', key).update(`${c.fileId}|${c.format ?? ''}|${who}|${c.expires}`).digest('base64url');
}

export function createMediaLinks(strapi: Core.Strapi) {
  let key: Buffer | null = null;
  const getKey = () => (key ??= keyFor(strapi));
  const prefix = () => String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/+$/, '');
  const ttl = () => paywallConfig(strapi, 'mediaLinkTtlSeconds');

  function signed(claims: MediaLinkClaims): string {
    const q = new URLSearchParams();
    if (claims.format) q.set('format', claims.format);
    if (claims.adminId !== undefined) q.set('a', String(claims.adminId));
    else q.set('u', String(claims.userId));
    q.set('e', String(claims.expires));
    q.set('s', mac(getKey(), claims));
    return `${prefix()}/paywall/media/${claims.fileId}?${q.toString()}`;
  }
  const expiry = (now: Date) => Math.floor(now.getTime() / 1000) + ttl();

  return {
    /** A link to the media route for this reader, valid for the configured lifetime. */
    link(fileId: number, userId: number, format: string | null, now: Date = new Date()): string {
      return signed({ fileId, format, userId, expires: expiry(now) });
    },

    /** A link for an admin-panel user (editors read every file), valid for the configured lifetime. */
    editorLink(fileId: number, adminId: number, format: string | null, now: Date = new Date()): string {
      return signed({ fileId, format, userId: 0, adminId, expires: expiry(now) });
    },

    /** What every link to the media route starts with. */
    routePrefix(): string {
      return `${prefix()}/paywall/media/`;
    },

    /** The route path alone: what a privately stored file's `url` (or a format's) holds. */
    routePath(fileId: number, format: string | null = null): string {
      // Only names `parseRoutePath` reads back: a stored url it could not recognise as private
      // would be taken for a public one and moved again on every write.
      if (format !== null && !FORMAT_RE.test(format)) throw new Error(`paywall: unusable image format name "${format}"`);
      return `${prefix()}/paywall/media/${fileId}${format ? `?format=${format}` : ''}`;
    },

    /** The file and format a bare route path names, or null for anything else (signed links included). */
    parseRoutePath(url: unknown): { fileId: number; format: string | null } | null {
      if (typeof url !== 'string' || !url.startsWith(`${prefix()}/`)) return null;
      const m = ROUTE_PATH_RE.exec(url.slice(prefix().length));
      return m ? { fileId: Number(m[1]), format: m[2] ?? null } : null;
    },

    /** Whether a URL points at the media route, signed or not. */
    isMediaLink(url: unknown): boolean {
      return typeof url === 'string' && url.startsWith(`${prefix()}/paywall/media/`);
    },

    /** Whether a URL is already a signed link to the media route (so that it is not signed twice). */
    isSignedLink(url: unknown): boolean {
      return typeof url === 'string' && url.startsWith(`${prefix()}/paywall/media/`) && /[?&]s=/.test(url);
    },

    /**
     * The claims of a link's query, or why they are refused. `null` when the request carries no
     * signature at all (the caller is then whoever its bearer token says).
     */
    verify(
      fileId: number,
      query: Record<string, unknown>,
      now: Date = new Date()
    ): { ok: true; claims: MediaLinkClaims } | { ok: false; message: string } | null {
      const s = query.s;
      if (s === undefined) return null;
      const editor = query.a !== undefined;
      if (editor && query.u !== undefined) return { ok: false, message: 'Malformed media link.' };
      const who = Number(editor ? query.a : query.u);
      const e = Number(query.e);
      const format = typeof query.format === 'string' && query.format !== '' ? query.format : null;
      if (
        typeof s !== 'string' ||
        typeof (editor ? query.a : query.u) !== 'string' ||
        !Number.isInteger(who) ||
        who < (editor ? 1 : 0) ||
        !Number.isInteger(e) ||
        (format !== null && !FORMAT_RE.test(format))
      ) {
        return { ok: false, message: 'Malformed media link.' };
      }
      if (e * 1000 <= now.getTime()) return { ok: false, message: 'This media link has expired: fetch the chapter again for a fresh one.' };
      const claims: MediaLinkClaims = editor ? { fileId, format, userId: 0, adminId: who, expires: e } : { fileId, format, userId: who, expires: e };
      const expected = Buffer.from(mac(getKey(), claims));
      const given = Buffer.from(s);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        return { ok: false, message: 'Invalid media link signature.' };
      }
      return { ok: true, claims };
    },
  };
}

export type MediaLinks = ReturnType<typeof createMediaLinks>;
