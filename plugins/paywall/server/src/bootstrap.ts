import type { Core } from '@strapi/strapi';
import { CHAPTER_UID, FILE_UID } from './services/schema-names';
import type { StoredFile } from './services/private-storage';
import { getService } from './utils';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const storage = getService(strapi, 'private-storage');
  storage.assertOutsidePublic();
  if ((strapi.config.get('plugin::upload.provider', 'local') as string) === 'local') storage.wrapProvider();

  // Where files live is decided on every write that links a file to a chapter, with the
  // gate off too (the benchmark switch measures the gate, not storage). A chapter row written with
  // media moves them inside its write; a file row created already linked (`ref`/`refId`/`field`),
  // or whose bytes were replaced, moves before the upload call returns.
  const chapterRow = async (event: { result?: unknown }) => storage.secureChapterRow(event.result as { id?: unknown } | undefined);
  strapi.db.lifecycles.subscribe({ models: [CHAPTER_UID], afterCreate: chapterRow, afterUpdate: chapterRow });
  const fileRow = async (event: { result?: unknown }) => storage.secureFileRow(event.result as StoredFile | undefined);
  strapi.db.lifecycles.subscribe({ models: [FILE_UID], afterCreate: fileRow, afterUpdate: fileRow });

  // The upgrade step (files an earlier version left under public/uploads), and a repair after any
  // link made around the lifecycles (raw SQL): idempotent, one statement when nothing is left.
  const moved = await storage.secureAll();
  if (moved > 0) strapi.log.info(`paywall: moved ${moved} chapter media file(s) from public/uploads to private storage (${storage.privateDir()})`);
};
