/**
 * Gated media: which files are chapter videos or attachments, whether a caller may fetch one, and
 * how it is delivered (streamed from private local storage, or a short-lived pre-signed S3 URL).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { rawConnection } from '@kp/platform';
import { decideAccess } from '../domain/decide-access';
import type { AccessDecision, Caller, DeniedReason } from '../domain/types';
import { accessConfig, paywallNow } from './config-access';
import { GATED_MEDIA_FIELDS, loadChapterFacts, loadEntitlements } from './queries';
import { CHAPTER_UID, FILE_UID, schemaNames } from './schema-names';
import { getService } from '../utils';

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

/** The original, or one of its image formats (carrying the file's id and provider). */
function variantOf(file: FileVariant & { formats?: Record<string, Partial<FileVariant>> | null }, format: string | null): FileVariant | null {
  if (!format) return file;
  const f = file.formats?.[format];
  if (!f || typeof f.url !== 'string') return null;
  return { ...file, ...f, id: file.id, provider: file.provider, url: f.url } as FileVariant;
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
     * here: they have public URLs of their own, or — once gated, then unlinked — stay private, for
     * editors only.
     */
    async authorize(caller: Caller, fileId: number, format: string | null, now: Date = paywallNow(strapi)): Promise<MediaVerdict> {
      const file = (await strapi.db.query(FILE_UID).findOne({ where: { id: fileId } })) as
        | (FileVariant & { formats?: Record<string, Partial<FileVariant>> | null })
        | null;
      if (!file) return { allowed: false, reason: 'not-found' };
      const variant = variantOf(file, format);
      if (!variant) return { allowed: false, reason: 'not-found' };
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
      const order: DeniedReason[] = ['drip-locked', 'revoked', 'expired', 'no-entitlement', 'anonymous', 'draft', 'not-found'];
      const reasons = decisions.map((d) => (d.allowed ? 'not-found' : d.reason));
      const reason = order.find((r) => reasons.includes(r)) ?? 'not-found';
      return { allowed: false, reason };
    },

    /**
     * Whether admin-panel user `adminId` may fetch file `fileId` (or its `format`) through an
     * editor's link: editors read everything, so any file, while their account is active.
     */
    async authorizeEditor(adminId: number, fileId: number, format: string | null): Promise<MediaVerdict> {
      const admin = (await strapi.db.query('admin::user').findOne({ where: { id: adminId }, select: ['id', 'isActive', 'blocked'] })) as
        | { isActive?: boolean; blocked?: boolean }
        | null;
      if (!admin || admin.isActive === false || admin.blocked === true) return { allowed: false, reason: 'revoked' };
      const file = (await strapi.db.query(FILE_UID).findOne({ where: { id: fileId } })) as
        | (FileVariant & { formats?: Record<string, Partial<FileVariant>> | null })
        | null;
      if (!file) return { allowed: false, reason: 'not-found' };
      const variant = variantOf(file, format);
      return variant ? { allowed: true, file: variant } : { allowed: false, reason: 'not-found' };
    },

    /** The local file behind a variant: its private copy, or a not-yet-moved one under public/uploads. */
    localPath(file: FileVariant): string | null {
      return getService(strapi, 'private-storage').localPath(file);
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
