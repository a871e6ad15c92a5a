/**
 * Media for instructors: a cover for a course, a video or attachments for a chapter. Instructors
 * are not given the upload plugin's own route: with `?id=` it replaces any file, and `ref/refId`
 * links a file to any entry. Here the target is checked first (ownership, review state), the file
 * goes through the upload plugin's own security checks (MIME sniffing, allowed types), and is
 * linked to the draft only.
 */
import type { Core } from '@strapi/strapi';
import { CHAPTER_UID, COURSE_UID, httpError } from '@kp/platform';
import { getService } from '../utils';
import type { RequestCtx } from './authoring';

export const MEDIA_TARGETS = {
  cover: { uid: COURSE_UID, mime: /^image\//, multiple: false },
  video: { uid: CHAPTER_UID, mime: /^video\//, multiple: false },
  attachments: { uid: CHAPTER_UID, mime: /.*/, multiple: true },
} as const;
export type MediaField = keyof typeof MEDIA_TARGETS;

export interface UploadedFile {
  id: number;
  name: string;
  mime: string;
  size: number;
  url: string;
}

type KoaLikeCtx = RequestCtx & {
  request: { body?: Record<string, unknown>; files?: Record<string, unknown> };
  body: unknown;
  status: number;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  async function removeFile(id: number) {
    const upload = strapi.plugin('upload').service('upload');
    const file = await upload.findOne(id);
    if (file) await upload.remove(file);
  }

  return {
    /**
     * Uploads the request's single file (`files`) and links it to `field` of the document's draft.
     * The caller has validated `field` and `documentId`.
     */
    async attach(ctx: KoaLikeCtx, field: MediaField, documentId: string): Promise<UploadedFile> {
      const { uid, mime, multiple } = MEDIA_TARGETS[field];
      const authoring = getService(strapi, 'authoring');
      await authoring.assertCanUpdate(ctx, uid, documentId);

      // Nothing of the client's body reaches the upload plugin but the file itself: no ref/refId/
      // field (linking to any entry), no path, no id (replacing any file).
      const files = ctx.request.files?.files;
      if (!files || (Array.isArray(files) && files.length !== 1)) {
        throw httpError(400, 'Send exactly one file in the multipart field `files`.');
      }
      const facts = getService(strapi, 'course-facts');
      const locale = await facts.defaultLocale();
      const drafts = (await strapi.db.query(uid).findMany({
        where: { documentId, publishedAt: null },
        select: ['id', 'locale'],
        populate: multiple ? { [field]: { select: ['id'] } } : undefined,
      })) as Array<{ id: number; locale: string; [k: string]: unknown }>;
      const draft = drafts.find((d) => d.locale === locale) ?? drafts[0];
      const fileInfo = ctx.request.body?.fileInfo;
      // The server names the target (the checked draft): the file is created already linked to
      // it, so that whatever guards that field's files (the paywall keeps chapter media out of
      // public storage) applies before the upload call returns.
      ctx.request.body = {
        ...(typeof fileInfo === 'string' || (fileInfo && typeof fileInfo === 'object') ? { fileInfo } : {}),
        ...(draft ? { ref: uid, refId: draft.id, field } : {}),
      };
      await strapi.plugin('upload').controller('content-api').uploadFiles(ctx as never, async () => undefined);
      const uploaded = (Array.isArray(ctx.body) ? ctx.body[0] : ctx.body) as UploadedFile | undefined;
      ctx.body = null;
      if (!uploaded?.id) throw httpError(400, 'The file could not be uploaded.');

      try {
        if (!mime.test(uploaded.mime)) {
          throw httpError(400, `A ${field} must be ${field === 'cover' ? 'an image' : 'a video'}; this file is ${uploaded.mime}.`);
        }
        const value = multiple
          ? [...(((draft?.[field] as Array<{ id: number }> | undefined) ?? []).map((f) => f.id)), uploaded.id]
          : uploaded.id;
        // Media fields are not localized: i18n copies them to the document's other draft locales.
        await authoring.withTrustedMedia(() =>
          strapi.documents(uid).update({ documentId, locale: draft?.locale ?? locale, status: 'draft', data: { [field]: value } as never })
        );
      } catch (err) {
        await removeFile(uploaded.id).catch((e: unknown) => strapi.log.error(`[review] could not remove rejected upload ${uploaded.id}: ${String(e)}`));
        throw err;
      }
      return { id: uploaded.id, name: uploaded.name, mime: uploaded.mime, size: uploaded.size, url: uploaded.url };
    },
  };
};
