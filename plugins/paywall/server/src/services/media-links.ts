/**
 * Signed links to the media route. A `<video src>` or `<a href>` cannot send the bearer token a
 * frontend keeps, so readable chapters carry links that name the reader and expire; the media
 * route checks the signature AND the reader's access again on every request (so a refund takes
 * effect at once, whatever the link's lifetime). Stateless: any instance verifies any link.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';

export interface MediaLinkClaims {
  fileId: number;
  format: string | null;
  /** users-permissions user id, 0 for an anonymous reader (free and preview chapters). */
  userId: number;
  /** Expiry, seconds since the epoch. */
  expires: number;
}

const FORMAT_RE = /^[a-z0-9_-]{1,40}$/i;

function keyFor(strapi: Core.Strapi): Buffer {
  const keys = strapi.config.get('server.app.keys') as string[] | string | undefined;
  const first = Array.isArray(keys) ? keys[0] : typeof keys === 'string' ? keys.split(',')[0] : undefined;
  if (!first) throw new Error('paywall: server.app.keys (APP_KEYS) is required to sign media links');
  // A key of its own, derived, so that a media link can never double as anything else Strapi signs.
  return createHmac('sha256', first).update('paywall/media-link/v1').digest();
}

function mac(key: Buffer, c: MediaLinkClaims): string {
  return createHmac('sha256', key).update(`${c.fileId}|${c.format ?? ''}|${c.userId}|${c.expires}`).digest('base64url');
}

export function createMediaLinks(strapi: Core.Strapi) {
  let key: Buffer | null = null;
  const getKey = () => (key ??= keyFor(strapi));
  const prefix = () => String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/+$/, '');
  const ttl = () => Number(strapi.plugin('paywall').config('mediaLinkTtlSeconds') ?? 6 * 3600);

  return {
    /** A link to the media route for this reader, valid for the configured lifetime. */
    link(fileId: number, userId: number, format: string | null, now: Date = new Date()): string {
      const claims: MediaLinkClaims = { fileId, format, userId, expires: Math.floor(now.getTime() / 1000) + ttl() };
      const q = new URLSearchParams();
      if (format) q.set('format', format);
      q.set('u', String(userId));
      q.set('e', String(claims.expires));
      q.set('s', mac(getKey(), claims));
      return `${prefix()}/paywall/media/${fileId}?${q.toString()}`;
    },

    /** Whether a URL already points at the media route (so that it is not rewritten twice). */
    isMediaLink(url: unknown): boolean {
      return typeof url === 'string' && url.startsWith(`${prefix()}/paywall/media/`);
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
      const u = Number(query.u);
      const e = Number(query.e);
      const format = typeof query.format === 'string' && query.format !== '' ? query.format : null;
      if (typeof s !== 'string' || !Number.isInteger(u) || u < 0 || !Number.isInteger(e) || (format !== null && !FORMAT_RE.test(format))) {
        return { ok: false, message: 'Malformed media link.' };
      }
      if (e * 1000 <= now.getTime()) return { ok: false, message: 'This media link has expired: fetch the chapter again for a fresh one.' };
      const claims: MediaLinkClaims = { fileId, format, userId: u, expires: e };
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
