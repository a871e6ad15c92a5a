/**
 * Writes a DemoCatalogue through Strapi's Document Service (the same path the admin panel uses),
 * idempotently: every entity is looked up by slug first, so a second run adds nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { coverPng } from './covers';
import type { DemoCatalogue } from './demo-catalogue';

export interface SeedReport {
  created: { categories: number; tags: number; instructors: number; courses: number; chapters: number; plans: number; users: number; covers: number };
  skipped: number;
}

type Log = (line: string) => void;

/** After each course: how far the seed is (a progress bar on a terminal, `scripts/seed.ts`). */
export interface SeedProgress {
  done: number;
  total: number;
  chapters: number;
  users: number;
  title: string;
}

const ZH = 'zh-Hans';

export async function seedCatalogue(
  strapi: Core.Strapi,
  catalogue: DemoCatalogue,
  log: Log = () => {},
  progress: (p: SeedProgress) => void = () => {},
  options: { covers?: boolean } = {}
): Promise<SeedReport> {
  const report: SeedReport = {
    created: { categories: 0, tags: 0, instructors: 0, courses: 0, chapters: 0, plans: 0, users: 0, covers: 0 },
    skipped: 0,
  };
  const docs = strapi.documents;

  async function findBySlug(uid: 'api::category.category' | 'api::tag.tag' | 'api::instructor.instructor' | 'api::plan.plan' | 'api::course.course', slug: string) {
    return strapi.db.query(uid).findOne({ where: { slug }, select: ['documentId'] }) as Promise<{ documentId: string } | null>;
  }

  const categoryIds = new Map<string, string>();
  for (const c of catalogue.categories) {
    const existing = await findBySlug('api::category.category', c.slug);
    if (existing) {
      categoryIds.set(c.slug, existing.documentId);
      continue;
    }
    const doc = await docs('api::category.category').create({
      locale: 'en',
      data: { name: c.name.en, slug: c.slug, description: c.description.en } as never,
    });
    if (c.name.zh) {
      await docs('api::category.category').update({
        documentId: doc.documentId,
        locale: ZH,
        data: { name: c.name.zh, slug: c.slug, description: c.description.zh } as never,
      });
    }
    categoryIds.set(c.slug, doc.documentId);
    report.created.categories++;
  }
  log(`categories: ${catalogue.categories.length} (${report.created.categories} new)`);

  const tagIds = new Map<string, string>();
  for (const t of catalogue.tags) {
    const existing = await findBySlug('api::tag.tag', t.slug);
    if (existing) {
      tagIds.set(t.slug, existing.documentId);
      continue;
    }
    const doc = await docs('api::tag.tag').create({ locale: 'en', data: { name: t.name.en, slug: t.slug } as never });
    if (t.name.zh) {
      await docs('api::tag.tag').update({ documentId: doc.documentId, locale: ZH, data: { name: t.name.zh, slug: t.slug } as never });
    }
    tagIds.set(t.slug, doc.documentId);
    report.created.tags++;
  }
  log(`tags: ${catalogue.tags.length} (${report.created.tags} new)`);

  const instructorRole = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'instructor' } });
  const instructorIds = new Map<string, string>();
  for (const i of catalogue.instructors) {
    const existing = await findBySlug('api::instructor.instructor', i.slug);
    if (existing) {
      instructorIds.set(i.slug, existing.documentId);
      continue;
    }
    let user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { email: i.email } });
    if (!user) {
      user = await strapi.plugin('users-permissions').service('user').add({
        username: i.slug,
        email: i.email,
        password: `Demo-${i.slug}-2026`,
        provider: 'local',
        confirmed: true,
        blocked: false,
        role: instructorRole?.id,
      });
      report.created.users++;
    }
    const doc = await docs('api::instructor.instructor').create({
      locale: 'en',
      data: { name: i.name, slug: i.slug, bio: i.bio.en, user: user.id } as never,
    });
    if (i.bio.zh) {
      await docs('api::instructor.instructor').update({
        documentId: doc.documentId,
        locale: ZH,
        data: { name: i.name, slug: i.slug, bio: i.bio.zh, user: user.id } as never,
      });
    }
    instructorIds.set(i.slug, doc.documentId);
    report.created.instructors++;
  }
  log(`instructors: ${catalogue.instructors.length} (${report.created.instructors} new)`);

  const courseIds = new Map<string, string>();
  for (const [index, c] of catalogue.courses.entries()) {
    const existing = await findBySlug('api::course.course', c.slug);
    if (existing) {
      courseIds.set(c.slug, existing.documentId);
      report.skipped++;
      progress({ done: index + 1, total: catalogue.courses.length, chapters: report.created.chapters, users: report.created.users, title: c.title.en });
      continue;
    }
    // Covers are files in the upload provider: `npm run seed` makes them, tests need not.
    const cover = options.covers ? await uploadImage(strapi, `${c.slug}-cover.png`, await coverPng(c.slug, c.category), c.title.en) : null;
    if (cover) report.created.covers++;
    const shared = {
      cover,
      slug: c.slug,
      level: c.level,
      access: c.access,
      price: c.price,
      currency: c.currency,
      category: categoryIds.get(c.category),
      instructor: instructorIds.get(c.instructor),
      tags: c.tags.map((t) => tagIds.get(t)).filter(Boolean),
    };
    const course = await docs('api::course.course').create({
      locale: 'en',
      status: 'published',
      data: { title: c.title.en, summary: c.summary.en, description: c.description.en, ...shared } as never,
    });
    if (c.translated && c.title.zh) {
      await docs('api::course.course').update({
        documentId: course.documentId,
        locale: ZH,
        status: 'published',
        data: { title: c.title.zh, summary: c.summary.zh, description: c.description.zh, ...shared } as never,
      });
    }
    for (const ch of c.chapters) {
      const chapterShared = {
        position: ch.position,
        isPreview: ch.isPreview,
        optional: ch.optional,
        duration: ch.duration,
        course: course.documentId,
      };
      const chapter = await docs('api::chapter.chapter').create({
        locale: 'en',
        status: 'published',
        data: { title: ch.title.en, body: ch.body.en, ...chapterShared } as never,
      });
      if (c.translated && ch.title.zh) {
        await docs('api::chapter.chapter').update({
          documentId: chapter.documentId,
          locale: ZH,
          status: 'published',
          data: { title: ch.title.zh, body: ch.body.zh, ...chapterShared } as never,
        });
      }
      report.created.chapters++;
    }
    courseIds.set(c.slug, course.documentId);
    report.created.courses++;
    progress({ done: index + 1, total: catalogue.courses.length, chapters: report.created.chapters, users: report.created.users, title: c.title.en });
    log(`[${index + 1}/${catalogue.courses.length}] ${c.title.en} (${c.access}, ${c.chapters.length} chapters${c.translated ? ', en + zh-Hans' : ''})`);
  }

  for (const p of catalogue.plans) {
    if (await findBySlug('api::plan.plan', p.slug)) continue;
    // Priced by the platform: saving the plan creates its Stripe Product and Price when
    // STRIPE_SECRET_KEY is set (otherwise at the first checkout once it is). No price id to copy.
    const shared = {
      slug: p.slug,
      interval: p.interval,
      price: p.price,
      currency: p.currency,
      trialDays: p.trialDays ?? 0,
      allAccess: p.allAccess,
    };
    const plan = await docs('api::plan.plan').create({
      locale: 'en',
      data: { name: p.name.en, description: p.description.en, ...shared } as never,
    });
    if (p.name.zh) {
      await docs('api::plan.plan').update({
        documentId: plan.documentId,
        locale: ZH,
        data: { name: p.name.zh, description: p.description.zh, ...shared } as never,
      });
    }
    report.created.plans++;
  }
  log(`plans: ${catalogue.plans.length} (${report.created.plans} new)`);
  return report;
}

/**
 * Uploads an image made on this machine through the upload plugin (local provider: public/uploads,
 * with its responsive formats) and answers its file id.
 */
export async function uploadImage(strapi: Core.Strapi, name: string, buffer: Buffer, alternativeText: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-seed-'));
  const filepath = path.join(dir, name);
  fs.writeFileSync(filepath, buffer);
  try {
    const uploaded = (await strapi.plugin('upload').service('upload').upload({
      data: { fileInfo: { name, alternativeText } },
      files: { filepath, originalFilename: name, mimetype: 'image/png', size: buffer.length },
    })) as Array<{ id: number }>;
    return uploaded[0]!.id;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
