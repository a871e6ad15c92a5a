/**
 * Fixtures for the review workflow, shared by the integration and browser tests: an instructor
 * authoring a course over REST exactly as a frontend would, a valid PNG for covers, RBAC grants
 * through the admin API as a super admin would make them in the panel, and the checks of the
 * routes' documentation (every real answer against its schema, every documented example sent).
 */
import { deflateSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { definedRoutes, errorResponseSchema } from '@kp/platform';
import type { TestApp } from './strapi';
import type { TestAdmin, TestInstructor } from './builders';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A valid RGB PNG of the given size (sharp accepts it, so the upload plugin does too). */
export function pngBuffer(width = 8, height = 8): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows.set([40 * y, 30 * x, 200], y * (width * 3 + 1) + 1 + x * 3);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const REVIEW_ACTIONS = ['plugin::review.read', 'plugin::review.approve', 'plugin::review.request-changes', 'plugin::review.assign'];

/**
 * Gives an admin role the review permissions through the admin API, as a super admin does in
 * Settings → Roles: read the role's permissions, add ours, write them back.
 */
export async function grantReviewPermissions(app: TestApp, superAdmin: TestAdmin, roleCode: string, actions = REVIEW_ACTIONS): Promise<void> {
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
  assert.ok(role, `admin role ${roleCode}`);
  const current = await app.http().get(`/admin/roles/${role.id}/permissions`).set('Authorization', superAdmin.auth);
  assert.equal(current.status, 200, JSON.stringify(current.body));
  const kept = (current.body.data as Array<{ action: string; subject: string | null; properties: unknown; conditions: unknown }>).map(
    ({ action, subject, properties, conditions }) => ({ action, subject, properties, conditions })
  );
  const permissions = [
    ...kept.filter((p) => !actions.includes(p.action)),
    ...actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] })),
  ];
  const res = await app.http().put(`/admin/roles/${role.id}/permissions`).set('Authorization', superAdmin.auth).send({ permissions });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** A published tag and category for courses to point at. */
export async function createTaxonomy(app: TestApp): Promise<{ tags: string[]; category: string }> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const tag = await app.strapi.documents('api::tag.tag').create({ data: { name: `Tag ${suffix}`, slug: `tag-${suffix}` } as never });
  const category = await app.strapi.documents('api::category.category').create({
    data: { name: `Category ${suffix}`, slug: `category-${suffix}` } as never,
  });
  return { tags: [tag.documentId], category: category.documentId };
}

export interface AuthoredCourse {
  documentId: string;
  slug: string;
  title: string;
  chapters: string[];
}

export const GOOD_SUMMARY = 'A practical course that takes you from the basics to confident, everyday use, one small step at a time.';
export const GOOD_DESCRIPTION = `${'This course is built around short, practical chapters with exercises. '.repeat(4)}Each chapter ends with a recap.`;

/**
 * An instructor writes a course and chapters over REST (`/api/courses`, `/api/chapters`).
 * `complete` also uploads a cover and fills everything the checks want.
 */
export async function authorCourse(
  app: TestApp,
  instructor: TestInstructor,
  options: { title?: string; chapters?: number; complete?: boolean; taxonomy?: { tags: string[]; category: string } } = {}
): Promise<AuthoredCourse> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const title = options.title ?? `Hands-on course ${suffix}`;
  const slug = `hands-on-${suffix}`;
  const complete = options.complete ?? true;
  const res = await app
    .http()
    .post('/api/courses')
    .set('Authorization', instructor.auth)
    .send({
      data: {
        title,
        slug,
        summary: complete ? GOOD_SUMMARY : 'Too short.',
        description: complete ? GOOD_DESCRIPTION : '',
        level: 'beginner',
        access: 'paid',
        price: 2900,
        currency: 'usd',
        ...(options.taxonomy ? { tags: options.taxonomy.tags, category: options.taxonomy.category } : {}),
      },
    });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const documentId: string = res.body.data.documentId;
  const chapters: string[] = [];
  for (let i = 0; i < (options.chapters ?? 3); i++) {
    const ch = await app
      .http()
      .post('/api/chapters')
      .set('Authorization', instructor.auth)
      .send({
        data: {
          title: `Chapter ${i + 1}`,
          position: i + 1,
          isPreview: complete && i === 0,
          duration: 10,
          body: `Chapter ${i + 1} body: SECRET-${suffix}-${i}`,
          course: documentId,
        },
      });
    assert.equal(ch.status, 201, JSON.stringify(ch.body));
    chapters.push(ch.body.data.documentId);
  }
  if (complete) await uploadCover(app, instructor, documentId);
  return { documentId, slug, title, chapters };
}

/** Uploads a PNG cover through the review plugin's media route. */
export async function uploadCover(app: TestApp, instructor: TestInstructor, documentId: string): Promise<number> {
  const res = await app
    .http()
    .post('/api/review/media')
    .set('Authorization', instructor.auth)
    .field('field', 'cover')
    .field('documentId', documentId)
    .attach('files', pngBuffer(), { filename: 'cover.png', contentType: 'image/png' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.file.id as number;
}

/** Submits a course for review and expects it to land in review. */
export async function submitCourse(app: TestApp, instructor: TestInstructor, documentId: string): Promise<void> {
  const res = await app.http().post(`/api/review/courses/${documentId}/submit`).set('Authorization', instructor.auth);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.data.state, 'in_review');
}

type RouteEntry = ReturnType<typeof definedRoutes>[number];

export interface RouteAnswers {
  /** Answers that disagree with their route's documentation (schema or refusal status). */
  problems: string[];
  /** `METHOD fullPath` of each route answered with a 2xx that matched its response schema. */
  validated: Set<string>;
  routes: RouteEntry[];
}

/**
 * Watches every answer of one plugin's routes for the rest of the run and checks it against the
 * route's definition: a 2xx body (as JSON, as the client reads it) against `response`, a refusal
 * against the error envelope and the route's documented `errors`. Install it right after the boot,
 * before the first request: Koa composes its middleware on the first request.
 */
export function watchRouteAnswers(app: TestApp, plugin: string): RouteAnswers {
  const routes = definedRoutes().filter((d) => d.plugin === plugin);
  assert.ok(routes.length > 0, `no routes defined for ${plugin}`);
  const answers: RouteAnswers = { problems: [], validated: new Set(), routes };
  const koa = app.strapi.server.app as unknown as { middleware: Array<(ctx: never, next: () => Promise<unknown>) => Promise<unknown>> };
  koa.middleware.unshift(async (ctx: { status: number; body: unknown; state: { route?: { method?: string; handler?: unknown; info?: { pluginName?: string } } } }, next) => {
    await next();
    const route = ctx.state.route;
    if (route?.info?.pluginName !== plugin) return;
    const entry = routes.find((r) => r.spec.method === route.method && String(route.handler).endsWith(r.spec.handler));
    const key = entry ? `${entry.spec.method} ${entry.fullPath}` : `${route.method} ${String(route.handler)}`;
    if (!entry) {
      answers.problems.push(`${key}: answered by a route that is not defined with route()`);
      return;
    }
    const body: unknown = ctx.body === undefined || ctx.body === null ? ctx.body : JSON.parse(JSON.stringify(ctx.body));
    if (ctx.status >= 200 && ctx.status < 300) {
      const parsed = entry.spec.response.safeParse(body);
      if (parsed.success) answers.validated.add(key);
      else answers.problems.push(`${key} ${ctx.status}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    } else if (ctx.status >= 400) {
      if (!errorResponseSchema.safeParse(body).success) answers.problems.push(`${key} ${ctx.status}: not the error envelope: ${JSON.stringify(body)}`);
      const documented = Object.keys(entry.spec.errors ?? {}).map(Number);
      if (!documented.includes(ctx.status)) answers.problems.push(`${key} ${ctx.status}: an undocumented refusal (${JSON.stringify(body)})`);
    }
  });
  return answers;
}

/** Who sends an example, and the fixture tokens (`$draftCourse`, …) its values may name. */
export interface ExampleWorld {
  auth: Record<'anonymous' | 'learner' | 'instructor', string | null>;
  tokens: Record<string, string>;
}

/**
 * Sends every documented example of the plugin's routes as a client would (values resolved from
 * the world's tokens, multipart bodies as form fields) and returns what disagrees: a different
 * status, or a token the world does not know.
 */
export async function runRouteExamples(app: TestApp, routes: RouteEntry[], world: ExampleWorld): Promise<{ sent: number; problems: string[] }> {
  const problems: string[] = [];
  let sent = 0;
  const resolve = (value: string): string => {
    if (!value.startsWith('$')) return value;
    const found = world.tokens[value];
    if (found === undefined) throw new Error(`unknown fixture token ${value}`);
    return found;
  };
  const resolveAll = (values: Record<string, string> | undefined) => Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, resolve(v)]));
  for (const { spec, fullPath } of routes) {
    for (const example of spec.examples ?? []) {
      const label = `${spec.method} ${fullPath} "${example.name}"`;
      let url: string;
      let query: Record<string, string>;
      let body: unknown;
      try {
        const params = resolveAll(example.params);
        url = fullPath.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
          if (params[name] === undefined) throw new Error(`no value for :${name}`);
          return encodeURIComponent(params[name]!);
        });
        query = resolveAll(example.query);
        body =
          example.body && typeof example.body === 'object'
            ? Object.fromEntries(Object.entries(example.body as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? resolve(v) : v]))
            : example.body;
      } catch (err) {
        problems.push(`${label}: ${(err as Error).message}`);
        continue;
      }
      let req = app.http()[spec.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](url).query(query);
      const auth = world.auth[example.as ?? 'anonymous'];
      if (auth) req = req.set('Authorization', auth);
      if (body !== undefined && spec.request?.bodyType === 'multipart/form-data') {
        for (const [k, v] of Object.entries(body as Record<string, unknown>)) req = req.field(k, String(v));
      } else if (body !== undefined) {
        req = req.send(body as object);
      }
      const res = await req;
      sent += 1;
      if (res.status !== example.status) problems.push(`${label}: ${res.status} instead of ${example.status} ${JSON.stringify(res.body)}`);
    }
  }
  return { sent, problems };
}
