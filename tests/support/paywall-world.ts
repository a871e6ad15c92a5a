/**
 * A small catalogue and the eight personas of the paywall's attack matrix (plus a subscriber as a
 * second positive control), built through the real services: users-permissions, the Document
 * Service, the upload plugin, and the paywall's own entitlements service.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { APP_DIR, type TestApp } from './strapi';
import { createCourse, createInstructor, createUser, type BuiltCourse, type TestInstructor, type TestUser } from './builders';

export const CHAPTER_UID = 'api::chapter.chapter';

export interface UploadedFile {
  id: number;
  name: string;
  hash: string;
  ext: string;
  url: string;
  /** What the file contains: a marker of its own. */
  content: Buffer;
  formats?: Record<string, { url: string; hash: string; ext: string }> | null;
}

/** Uploads a file through the upload plugin's service (the active provider: local or S3). */
export async function uploadFile(
  app: TestApp,
  name: string,
  mime: string,
  content: Buffer,
  link?: { ref: string; refId: number; field: string }
): Promise<UploadedFile> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-upload-'));
  const filepath = path.join(dir, name);
  fs.writeFileSync(filepath, content);
  try {
    const [file] = (await app.strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: { fileInfo: { name, alternativeText: '', caption: '' }, ...(link ?? {}) },
        files: { filepath, originalFilename: name, mimetype: mime, size: content.length },
      })) as Array<Omit<UploadedFile, 'content'>>;
    if (!file) throw new Error('upload returned nothing');
    return { ...file, content };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Removes uploaded files (and their bytes from public/uploads or the bucket). */
export async function removeFiles(app: TestApp, files: UploadedFile[]): Promise<void> {
  for (const f of files) {
    const row = await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: f.id } });
    if (row) await app.strapi.plugin('upload').service('upload').remove(row);
  }
}

/** Sets media on a chapter's draft and publishes it again (every locale that exists). */
export async function attachMedia(
  app: TestApp,
  chapterDocumentId: string,
  data: { video?: number; attachments?: number[] },
  locales: string[] = ['en']
): Promise<void> {
  const docs = app.strapi.documents(CHAPTER_UID);
  for (const locale of locales) {
    await docs.update({ documentId: chapterDocumentId, locale, data: data as never });
    await docs.publish({ documentId: chapterDocumentId, locale });
  }
}

export type PersonaName =
  | 'anonymous'
  | 'learnerWithoutAccess'
  | 'boughtAnotherCourse'
  | 'subscriptionExpired'
  | 'purchaseRefunded'
  | 'buyer'
  | 'subscriber'
  | 'courseInstructor'
  | 'otherInstructor';

export interface Persona {
  name: PersonaName;
  user: TestUser | null;
  /** Whether this persona may read the paid course's locked chapters. */
  entitled: boolean;
}

export interface PaywallWorld {
  /** The paid course under attack: chapter 1 is a preview, 2 and 3 are locked. */
  paid: BuiltCourse;
  /** A course the "bought another course" learner owns. */
  other: BuiltCourse;
  free: BuiltCourse;
  draft: BuiltCourse;
  planDocumentId: string;
  tagDocumentId: string;
  categoryDocumentId: string;
  owner: TestInstructor;
  otherInstructor: TestInstructor;
  personas: Persona[];
  video: UploadedFile;
  attachment: UploadedFile;
  image: UploadedFile;
  /** Strings that must never reach a persona without access (bodies in every locale, media names). */
  secrets: string[];
  /** Strings that must never reach anyone through the content API (drafts). */
  draftSecrets: string[];
}

const marker = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;


export async function buildPaywallWorld(app: TestApp): Promise<PaywallWorld> {
  const { strapi } = app;
  const owner = await createInstructor(app);
  const otherInstructor = await createInstructor(app);
  const tagSlug = marker('tag').toLowerCase();
  const categorySlug = marker('category').toLowerCase();
  const tag = await strapi.documents('api::tag.tag').create({ locale: 'en', data: { name: marker('Tag'), slug: tagSlug } as never });
  const category = await strapi.documents('api::category.category').create({ locale: 'en', data: { name: marker('Category'), slug: categorySlug } as never });

  // The zh-Hans version of the paid course links its tag and category again: they need zh-Hans versions.
  await strapi.documents('api::tag.tag').update({ documentId: tag.documentId, locale: 'zh-Hans', data: { name: '标签', slug: tagSlug } as never });
  await strapi
    .documents('api::category.category')
    .update({ documentId: category.documentId, locale: 'zh-Hans', data: { name: '类别', slug: categorySlug } as never });

  const profile = await strapi.documents('api::instructor.instructor').findOne({ documentId: owner.instructorDocumentId, locale: 'en' });
  await strapi.documents('api::instructor.instructor').update({
    documentId: owner.instructorDocumentId,
    locale: 'zh-Hans',
    data: { name: profile?.name, slug: profile?.slug, user: owner.id } as never,
  });

  const paid = await createCourse(app, {
    access: 'paid',
    instructor: owner.instructorDocumentId,
    tags: [tag.documentId],
    category: category.documentId,
    chapters: [{ isPreview: true }, {}, {}],
    zh: { title: '付费课程' },
  });
  const other = await createCourse(app, { access: 'paid', instructor: otherInstructor.instructorDocumentId, chapters: 2 });
  const free = await createCourse(app, { access: 'free', instructor: otherInstructor.instructorDocumentId, chapters: 2 });
  const draft = await createCourse(app, { access: 'paid', instructor: owner.instructorDocumentId, chapters: 2, publish: false });

  const plan = await strapi.documents('api::plan.plan').create({
    locale: 'en',
    data: { name: marker('Plan'), slug: marker('plan').toLowerCase(), interval: 'month', price: 999, currency: 'usd', allAccess: false, courses: [paid.documentId] } as never,
  });

  const videoMarker = marker('MEDIAVIDEO');
  const attachmentMarker = marker('MEDIAATTACH');
  const video = await uploadFile(app, `${videoMarker}.mp4`, 'video/mp4', Buffer.from(`video bytes ${videoMarker} ${randomBytes(64).toString('hex')}`));
  const attachment = await uploadFile(app, `${attachmentMarker}.txt`, 'text/plain', Buffer.from(`attachment bytes ${attachmentMarker}`));
  const image = await uploadFile(app, `${marker('MEDIAIMAGE')}.png`, 'image/png', await pngOf());
  const [, ch2, ch3] = paid.chapters;
  await attachMedia(app, ch2!.documentId, { video: video.id }, ['en', 'zh-Hans']);
  await attachMedia(app, ch3!.documentId, { attachments: [attachment.id, image.id] }, ['en', 'zh-Hans']);

  const ents = strapi.plugin('paywall').service('entitlements');
  const day = 24 * 3600_000;
  const mk = async (name: PersonaName, entitled: boolean, setup?: (u: TestUser) => Promise<unknown>): Promise<Persona> => {
    const user = await createUser(app);
    if (setup) await setup(user);
    return { name, user, entitled };
  };
  const personas: Persona[] = [
    { name: 'anonymous', user: null, entitled: false },
    await mk('learnerWithoutAccess', false),
    await mk('boughtAnotherCourse', false, (u) =>
      ents.grant({ userId: u.id, courseDocumentId: other.documentId, source: 'purchase', sourceRef: marker('cs') })
    ),
    await mk('subscriptionExpired', false, (u) =>
      ents.grant({
        userId: u.id,
        planDocumentId: plan.documentId,
        source: 'subscription',
        sourceRef: marker('sub'),
        validFrom: new Date(Date.now() - 40 * day),
        validUntil: new Date(Date.now() - 10 * day),
      })
    ),
    await mk('purchaseRefunded', false, async (u) => {
      const ref = marker('pi');
      await ents.grant({ userId: u.id, courseDocumentId: paid.documentId, source: 'purchase', sourceRef: ref });
      await ents.revoke({ source: 'purchase', sourceRef: ref, reason: 'refunded' });
    }),
    await mk('buyer', true, (u) => ents.grant({ userId: u.id, courseDocumentId: paid.documentId, source: 'purchase', sourceRef: marker('cs') })),
    await mk('subscriber', true, (u) =>
      ents.grant({
        userId: u.id,
        planDocumentId: plan.documentId,
        source: 'subscription',
        sourceRef: marker('sub'),
        validUntil: new Date(Date.now() + 30 * day),
      })
    ),
    { name: 'courseInstructor', user: owner, entitled: true },
    { name: 'otherInstructor', user: otherInstructor, entitled: false },
  ];

  const secrets = [
    ...paid.chapters.filter((c) => !c.isPreview).map((c) => c.body), // zh bodies are `${body}-zh`: covered
    videoMarker,
    attachmentMarker,
    image.hash,
    video.hash,
    attachment.hash,
  ];
  return {
    paid,
    other,
    free,
    draft,
    planDocumentId: plan.documentId,
    tagDocumentId: tag.documentId,
    categoryDocumentId: category.documentId,
    owner,
    otherInstructor,
    personas,
    video,
    attachment,
    image,
    secrets,
    draftSecrets: draft.chapters.map((c) => c.body),
  };
}

/** A PNG large enough for Strapi to derive a `thumbnail` format from it. */
export async function pngOf(width = 480, height = 320, red = 200): Promise<Buffer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sharp = require('sharp') as (o: unknown) => { png(): { toBuffer(): Promise<Buffer> } };
  return sharp({ create: { width, height, channels: 3, background: { r: red, g: 30, b: 30 } } }).png().toBuffer();
}

/**
 * A private-uploads directory for one boot, laid out like the default (`.tmp/<name>` under the
 * app, git-ignored) but named uniquely, so that a response naming it is caught, and removed after.
 */
export function privateUploads(): { name: string; dir: string; env: Record<string, string>; remove(): void } {
  const name = `kp-private-${randomBytes(4).toString('hex')}`;
  const relative = path.join('.tmp', name);
  const dir = path.join(APP_DIR, relative);
  return {
    name,
    dir,
    env: { PAYWALL_PRIVATE_UPLOADS_DIR: relative },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export const PUBLIC_UPLOADS = path.join(APP_DIR, 'public', 'uploads');

/** One stored variant of a file (the original or an image format): its stored name on disk. */
export interface StoredVariantName {
  label: string;
  fileId: number;
  format: string | null;
  name: string;
}

/** The stored names of a file and its formats, read from its row (the database's current truth). */
export async function storedVariants(strapi: Core.Strapi, fileId: number): Promise<StoredVariantName[]> {
  const row = (await strapi.db.query('plugin::upload.file').findOne({ where: { id: fileId } })) as {
    hash: string;
    ext: string;
    formats?: Record<string, { hash: string; ext: string }> | null;
  } | null;
  if (!row) throw new Error(`no file ${fileId}`);
  return [
    { label: `file ${fileId}`, fileId, format: null, name: `${row.hash}${row.ext}` },
    ...Object.entries(row.formats ?? {}).map(([k, f]) => ({ label: `file ${fileId} (${k})`, fileId, format: k, name: `${f.hash}${f.ext}` })),
  ];
}

/** Links a file to a chapter row with a plain insert, as nothing in this version does: how files linked before it look. */
export async function linkTheOldWay(strapi: Core.Strapi, fileId: number, chapterRowId: number, field: 'video' | 'attachments'): Promise<void> {
  await strapi.db.connection('files_related_mph').insert({ file_id: fileId, related_id: chapterRowId, related_type: CHAPTER_UID, field, order: 1 });
}

/** What would point at a gated file's bytes: its storage names, and the private directory's name. */
export function storageNamesOf(files: UploadedFile[], privateDirName: string | null): string[] {
  return [...files.map((f) => f.hash), ...(privateDirName ? [privateDirName] : [])];
}

/**
 * Every GET route of the content API (core types, upload, users-permissions, i18n, the local
 * plugins), with its path parameters filled from the world: the read surface a sweep covers.
 * A route added later is swept without anyone remembering to list it.
 */
export function readRouteUrls(
  strapi: Core.Strapi,
  values: { documentIds: Record<string, string[]>; fileIds: number[]; fallbackDocumentIds: string[] }
): string[] {
  const layers = strapi.server.api('content-api').listRoutes() as Array<{ path: string; methods: string[] }>;
  const out = new Set<string>();
  for (const layer of layers) {
    if (!layer.methods.includes('GET')) continue;
    const p = layer.path;
    if (p.includes('(.*)')) {
      out.add(p.replace('(.*)', 'github'));
      continue;
    }
    const collection = /^\/api\/([^/]+)/.exec(p)?.[1] ?? '';
    const fill = (param: string): string[] => {
      switch (param) {
        case 'fileId':
          return values.fileIds.map(String);
        case 'uid':
          return [CHAPTER_UID, 'plugin::upload.file'];
        case 'provider':
          return ['local'];
        case 'code':
          return ['KP-NOPE'];
        case 'id':
          if (collection === 'upload') return values.fileIds.map(String);
          return values.documentIds[collection] ?? ['1'];
        case 'documentId':
          return values.fallbackDocumentIds;
        default:
          return ['1'];
      }
    };
    let urls = [p];
    for (const m of p.matchAll(/:(\w+)/g)) {
      const param = m[1]!;
      urls = urls.flatMap((u) => fill(param).map((v) => u.replace(`:${param}`, encodeURIComponent(v))));
    }
    // Collection routes (core types, upload files, users) also with every relation populated.
    const populates = /^\/api\/[^/]+(\/:id)?$/.test(p) || p.startsWith('/api/upload/files') || p.startsWith('/api/users');
    for (const u of urls) {
      out.add(u);
      if (populates) out.add(`${u}?populate=*`);
    }
  }
  return [...out];
}
