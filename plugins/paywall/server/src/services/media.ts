/**
 * Gated media: which files are chapter videos or attachments, whether a caller may fetch one, and
 * how it is delivered (streamed from private local storage, or a short-lived pre-signed S3 URL).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { rawConnection } from './connection';
import { decideAccess } from '../domain/decide-access';
import type { AccessDecision, Caller, DeniedReason } from '../domain/types';
import { accessConfig } from './config-access';
import { loadChapterFacts, loadEntitlements } from './queries';
import { CHAPTER_UID, FILE_UID, schemaNames } from './schema-names';

export const GATED_MEDIA_FIELDS = ['video', 'attachments'] as const;

/** The stored file (or one of its image formats) to deliver. */
export interface FileVariant {
  id: number;
  name: string;
  hash: string;
  ext: string;
  mime: string;
  size: number | null;
  url: string;
  path?: string | null;
  provider: string;
}

export type MediaVerdict = { allowed: true; file: FileVariant } | { allowed: false; reason: DeniedReason };

function knex(strapi: Core.Strapi): Knex {
  return rawConnection(strapi);
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** Chapter rows that use this file as gated media. */
  async function chaptersUsing(fileId: number): Promise<number[]> {
    const r = schemaNames(strapi).file.related;
    const rows: Array<Record<string, unknown>> = await knex(strapi)
      .select({ id: r.id })
      .from(r.table)
      .where(r.file, fileId)
      .where(r.type, CHAPTER_UID)
      .whereIn(r.field, [...GATED_MEDIA_FIELDS]);
    return [...new Set(rows.map((x) => Number(x.id)).filter((n) => Number.isInteger(n)))];
  }

  return {
    /**
     * Whether `caller` may fetch file `fileId` (or its `format`): the file must be the video or an
     * attachment of a chapter the caller may read. Files that are not chapter media are not served
     * here (they have public URLs of their own).
     */
    async authorize(caller: Caller, fileId: number, format: string | null, now: Date = new Date()): Promise<MediaVerdict> {
      const file = (await strapi.db.query(FILE_UID).findOne({ where: { id: fileId } })) as
        | (FileVariant & { formats?: Record<string, Partial<FileVariant>> | null })
        | null;
      if (!file) return { allowed: false, reason: 'not-found' };
      let variant: FileVariant = file;
      if (format) {
        const f = file.formats?.[format];
        if (!f || typeof f.url !== 'string') return { allowed: false, reason: 'not-found' };
        variant = { ...file, ...f, id: file.id, provider: file.provider, url: f.url } as FileVariant;
      }
      const chapterIds = await chaptersUsing(fileId);
      if (chapterIds.length === 0) return { allowed: false, reason: 'not-found' };
      const facts = await loadChapterFacts(strapi, chapterIds);
      const config = accessConfig(strapi);
      const decide = (ents: Parameters<typeof decideAccess>[3]): AccessDecision[] =>
        chapterIds.map((id) => {
          const f = facts.get(id);
          return f ? decideAccess(caller, f.course, f.chapter, ents, now, config) : { allowed: false, reason: 'not-found' };
        });
      let decisions = decide([]);
      if (!decisions.some((d) => d.allowed) && caller.kind === 'user') {
        const courses = [...new Set([...facts.values()].map((f) => f.course?.documentId).filter((d): d is string => Boolean(d)))];
        if (courses.length > 0) {
          const ents = (await loadEntitlements(strapi, caller.userId, courses)).map((r) => r.facts);
          decisions = decide(ents);
        }
      }
      if (decisions.some((d) => d.allowed)) return { allowed: true, file: variant };
      // Why not: a published chapter's reason says more than a draft's or a missing one's.
      const order: DeniedReason[] = ['revoked', 'expired', 'no-entitlement', 'anonymous', 'draft', 'not-found'];
      const reasons = decisions.map((d) => (d.allowed ? 'not-found' : d.reason));
      const reason = order.find((r) => reasons.includes(r)) ?? 'not-found';
      return { allowed: false, reason };
    },

    /** Whether a public `/uploads/...` path names a gated file (which must not be served there). */
    async isGatedUploadPath(urlPath: string): Promise<boolean> {
      const name = path.posix.basename(urlPath);
      const dot = name.lastIndexOf('.');
      const base = dot > 0 ? name.slice(0, dot) : name;
      if (!base) return false;
      // Formats are stored as `<format>_<hash><ext>`: the hash is what follows the first `_`.
      const candidates = [base];
      const us = base.indexOf('_');
      if (us > 0) candidates.push(base.slice(us + 1));
      const n = schemaNames(strapi).file;
      const row = await knex(strapi)
        .first({ id: 'f.id' })
        .from({ f: n.table })
        .join({ r: n.related.table }, `r.${n.related.file}`, 'f.id')
        .whereIn(`f.${n.col('hash')}`, candidates)
        .where(`r.${n.related.type}`, CHAPTER_UID)
        .whereIn(`r.${n.related.field}`, [...GATED_MEDIA_FIELDS]);
      return Boolean(row);
    },

    /** The local file behind a variant, when it is stored by the local provider under public/uploads. */
    localPath(file: FileVariant): string | null {
      if (file.provider !== 'local' || typeof file.url !== 'string' || !/^\/uploads\/[^/\\]+$/.test(file.url)) return null;
      const root = path.resolve(strapi.dirs.static.public, 'uploads');
      const full = path.resolve(root, path.basename(file.url));
      if (!full.startsWith(root + path.sep)) return null;
      return fs.existsSync(full) ? full : null;
    },

    /** A pre-signed URL from the upload provider (private S3 bucket), or null when it has none. */
    async signedUrl(file: FileVariant): Promise<string | null> {
      const provider = strapi.plugin('upload').provider as { getSignedUrl?: (f: unknown) => Promise<{ url: string }> } | undefined;
      if (!provider?.getSignedUrl) return null;
      const { url } = await provider.getSignedUrl(file);
      return url && url !== file.url ? url : null;
    },
  };
};
