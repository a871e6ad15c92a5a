/**
 * A small catalogue and the eight personas of the paywall's attack matrix (plus a subscriber as a
 * second positive control), built through the real services: users-permissions, the Document
 * Service, the upload plugin, and the paywall's own entitlements service.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestApp } from './strapi';
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
  formats?: Record<string, { url: string }> | null;
}

/** Uploads a file through the upload plugin's service (the active provider: local or S3). */
export async function uploadFile(app: TestApp, name: string, mime: string, content: Buffer): Promise<UploadedFile> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-upload-'));
  const filepath = path.join(dir, name);
  fs.writeFileSync(filepath, content);
  try {
    const [file] = (await app.strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: { fileInfo: { name, alternativeText: '', caption: '' } },
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

/** A PNG large enough for Strapi to derive a `thumbnail` format from it. */
async function pngBytes(): Promise<Buffer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sharp = require('sharp') as (o: unknown) => { png(): { toBuffer(): Promise<Buffer> } };
  return sharp({ create: { width: 480, height: 320, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
}

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
  const image = await uploadFile(app, `${marker('MEDIAIMAGE')}.png`, 'image/png', await pngBytes());
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
