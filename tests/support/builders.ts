/**
 * Small fixture builders over the real services (Document Service, users-permissions, admin),
 * so that suites state what they need in a line instead of hand-typed JSON.
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { TestApp } from './strapi';

let counter = 0;
const uniq = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;

export interface TestUser {
  id: number;
  documentId: string;
  username: string;
  email: string;
  password: string;
  jwt: string;
  /** `Authorization` header value. */
  auth: string;
}

type Role = 'authenticated' | 'instructor';

async function roleId(strapi: Core.Strapi, type: Role): Promise<number> {
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } });
  if (!role) throw new Error(`role ${type} missing: did bootstrap run?`);
  return role.id;
}

/** A confirmed users-permissions user with a JWT (learner by default). */
export async function createUser(app: TestApp, options: { role?: Role; username?: string } = {}): Promise<TestUser> {
  const { strapi } = app;
  const username = options.username ?? uniq('user');
  const email = `${username}@example.test`.toLowerCase();
  const password = 'Passw0rd!secure';
  const user = await strapi.plugin('users-permissions').service('user').add({
    username,
    email,
    password,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: await roleId(strapi, options.role ?? 'authenticated'),
  });
  const jwt = strapi.plugin('users-permissions').service('jwt').issue({ id: user.id });
  return { id: user.id, documentId: user.documentId, username, email, password, jwt, auth: `Bearer ${jwt}` };
}

export interface TestInstructor extends TestUser {
  instructorDocumentId: string;
}

/** A user with the instructor role and a linked instructor profile. */
export async function createInstructor(app: TestApp, name?: string): Promise<TestInstructor> {
  const user = await createUser(app, { role: 'instructor' });
  const data = { name: name ?? `Instructor ${user.username}`, slug: user.username, user: user.id };
  const profile = await app.strapi.documents('api::instructor.instructor').create({ locale: 'en', data: data as never });
  // Profiles are localized (bio): a zh-Hans course links to the zh-Hans version of its instructor.
  await app.strapi.documents('api::instructor.instructor').update({
    documentId: profile.documentId,
    locale: 'zh-Hans',
    data: data as never,
  });
  return { ...user, instructorDocumentId: profile.documentId };
}

export interface ChapterSpec {
  title?: string;
  isPreview?: boolean;
  body?: string;
  optional?: boolean;
  duration?: number;
  /** Publish this chapter (default: the course's `publish`). */
  publish?: boolean;
}

export interface CourseSpec {
  title?: string;
  summary?: string;
  access?: 'free' | 'paid' | 'subscription';
  price?: number;
  currency?: 'usd' | 'eur' | 'gbp' | 'cny' | 'jpy';
  /** Prices in other currencies (the `commerce.extra-price` component, not localized). */
  extraPrices?: Array<{ currency: 'usd' | 'eur' | 'gbp' | 'cny' | 'jpy'; amount: number }>;
  level?: 'beginner' | 'intermediate' | 'advanced';
  instructor?: string; // instructor documentId
  tags?: string[]; // tag documentIds
  category?: string; // category documentId
  chapters?: number | ChapterSpec[];
  publish?: boolean;
  /** Adds a zh-Hans version of the course and its chapters. */
  zh?: { title: string; summary?: string; chapterTitle?: (i: number) => string };
}

export interface BuiltCourse {
  documentId: string;
  slug: string;
  title: string;
  chapters: Array<{ documentId: string; title: string; isPreview: boolean; body: string; position: number }>;
}

/** A course with its chapters, published by default; chapter bodies carry a unique marker. */
export async function createCourse(app: TestApp, spec: CourseSpec = {}): Promise<BuiltCourse> {
  const { strapi } = app;
  const slug = uniq('course');
  const title = spec.title ?? `Course ${slug}`;
  const status = spec.publish === false ? 'draft' : 'published';
  // Non-localized fields: Strapi 5 wants them again when a new locale of the document is created.
  const shared = {
    slug,
    level: spec.level ?? 'beginner',
    access: spec.access ?? 'paid',
    price: spec.price ?? (spec.access === 'free' ? 0 : 1999),
    currency: spec.currency ?? 'usd',
    ...(spec.extraPrices ? { extraPrices: spec.extraPrices } : {}),
    // Relations are stored per locale: each locale links them again.
    ...(spec.instructor ? { instructor: spec.instructor } : {}),
    ...(spec.tags ? { tags: spec.tags } : {}),
    ...(spec.category ? { category: spec.category } : {}),
  };
  const course = await strapi.documents('api::course.course').create({
    locale: 'en',
    status,
    data: {
      title,
      summary: spec.summary ?? `A summary of ${title}.`,
      description: `About ${title}.`,
      ...shared,
    } as never,
  });
  const specs: ChapterSpec[] = Array.isArray(spec.chapters)
    ? spec.chapters
    : Array.from({ length: spec.chapters ?? 3 }, (_, i) => ({ isPreview: i === 0 }));
  const chapters: BuiltCourse['chapters'] = [];
  const chapterShared: Array<Record<string, unknown>> = [];
  for (const [i, c] of specs.entries()) {
    const body = c.body ?? `SECRET-${slug}-ch${i + 1}-${randomBytes(4).toString('hex')}`;
    const chapterTitle = c.title ?? `Chapter ${i + 1} of ${title}`;
    const chapterStatus = c.publish === false ? 'draft' : c.publish === true ? 'published' : status;
    const chapter = await strapi.documents('api::chapter.chapter').create({
      locale: 'en',
      status: chapterStatus,
      data: {
        title: chapterTitle,
        position: i + 1,
        isPreview: c.isPreview ?? false,
        optional: c.optional ?? false,
        duration: c.duration ?? 10,
        body,
        course: course.documentId,
      } as never,
    });
    chapters.push({ documentId: chapter.documentId, title: chapterTitle, isPreview: c.isPreview ?? false, body, position: i + 1 });
    chapterShared.push({ course: course.documentId, position: i + 1, isPreview: c.isPreview ?? false, optional: c.optional ?? false, duration: c.duration ?? 10 });
  }
  if (spec.zh) {
    await strapi.documents('api::course.course').update({
      documentId: course.documentId,
      locale: 'zh-Hans',
      status,
      data: { title: spec.zh.title, summary: spec.zh.summary ?? spec.zh.title, ...shared } as never,
    });
    for (const [i, c] of chapters.entries()) {
      await strapi.documents('api::chapter.chapter').update({
        documentId: c.documentId,
        locale: 'zh-Hans',
        status,
        data: { title: spec.zh.chapterTitle?.(i) ?? `第${i + 1}章`, body: `${c.body}-zh`, ...chapterShared[i] } as never,
      });
    }
  }
  return { documentId: course.documentId, slug, title, chapters };
}

export interface TestAdmin {
  id: number;
  email: string;
  password: string;
  token: string;
  auth: string;
}

/** An admin-panel user (super admin by default, or an existing role code such as strapi-editor). */
export async function createAdmin(app: TestApp, roleCode = 'strapi-super-admin'): Promise<TestAdmin> {
  const { strapi } = app;
  const email = `${uniq('admin')}@example.test`;
  const password = 'Adm1nPassw0rd!';
  const role = await strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
  if (!role) throw new Error(`admin role ${roleCode} missing`);
  const user = await strapi.service('admin::user').create({
    email,
    firstname: 'Test',
    lastname: 'Admin',
    password,
    isActive: true,
    registrationToken: null,
    roles: [role.id],
  });
  const res = await app.http().post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token: string = res.body.data.token ?? res.body.data.accessToken;
  return { id: user.id, email, password, token, auth: `Bearer ${token}` };
}
