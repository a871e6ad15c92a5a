/**
 * The OpenAPI document of the REST surface: served at /api/openapi.json, equal to the committed
 * types/openapi.json, complete (every plugin route is defined with its schemas and examples), and
 * true: every documented example is a valid request by the document, and the running server
 * answers it with the documented status and a body the document's response schema accepts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { definedRoutes } from '@kp/platform';
import { bootApp, APP_DIR, type TestApp } from '../support/strapi';
import { createCourse, createInstructor, createUser, type BuiltCourse, type TestInstructor, type TestUser } from '../support/builders';
import { attachMedia, uploadFile, removeFiles, type UploadedFile } from '../support/paywall-world';
import { createPlan, newWebhookSecret, startCheckout, stripeEnv } from '../support/checkout-world';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { grantCourse } from '../support/learning-helpers';
import { contentApiSurface } from '../../src/lib/api-surface';
import { PLATFORM_PLUGINS } from '../../src/lib/permissions';

type Json = Record<string, any>;
interface Example {
  name: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  as?: 'anonymous' | 'learner' | 'instructor';
  status: number;
}

const COMMITTED = path.join(APP_DIR, 'types', 'openapi.json');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('OpenAPI document', () => {
  let app: TestApp;
  let fake: FakeStripe;
  let doc: Json;
  let learner: TestUser;
  let instructor: TestInstructor;
  let course: BuiltCourse;
  const files: UploadedFile[] = [];
  const tokens: Record<string, string> = {};

  before(async () => {
    fake = await startFakeStripe();
    app = await bootApp({ env: stripeEnv(fake, newWebhookSecret()) });
    learner = await createUser(app);
    instructor = await createInstructor(app);
    course = await createCourse(app, { instructor: instructor.instructorDocumentId, chapters: 3 });
    const free = await createCourse(app, { access: 'free', chapters: 1, instructor: instructor.instructorDocumentId });
    const draft = await createCourse(app, { instructor: instructor.instructorDocumentId, publish: false, chapters: 1 });
    const plan = await createPlan(app, { courses: [course.documentId] });
    const video = await uploadFile(app, 'lesson.mp4', 'video/mp4', Buffer.from('openapi-video'));
    files.push(video);
    await attachMedia(app, course.chapters[1]!.documentId, { video: video.id });
    // The learner completes the free course (a certificate) and starts a checkout (an order).
    for (const ch of free.chapters) {
      const res = await app.http().post('/api/progress').set('Authorization', learner.auth).send({ chapter: ch.documentId, completed: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const certs = await app.http().get('/api/certificates/me').set('Authorization', learner.auth);
    const code = certs.body?.data?.[0]?.code as string | undefined;
    assert.ok(code, `a certificate was issued: ${JSON.stringify(certs.body)}`);
    const other = await createCourse(app, { chapters: 1 });
    const order = await startCheckout(app, learner, { course: other.documentId });
    await grantCourse(app, learner.id, course.documentId);
    Object.assign(tokens, {
      $course: course.documentId,
      $freeCourse: free.documentId,
      $chapter: course.chapters[1]!.documentId,
      $previewChapter: course.chapters[0]!.documentId,
      $plan: plan.documentId,
      $file: String(video.id),
      $certificate: code,
      $order: order.orderId,
      $draftCourse: draft.documentId,
      $learnerEmail: learner.email,
      $learnerPassword: learner.password,
    });
    const res = await app.http().get('/api/openapi.json');
    assert.equal(res.status, 200);
    doc = res.body;
  });

  after(async () => {
    if (app) {
      await removeFiles(app, files).catch(() => undefined);
      await app.close();
    }
    await fake?.close();
  });

  test('is served at /api/openapi.json and equals the committed types/openapi.json (run `npm run openapi` after a route change)', () => {
    const committed = JSON.parse(fs.readFileSync(COMMITTED, 'utf8'));
    assert.deepEqual(doc, committed);
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(Object.keys(doc.paths).length > 40);
  });

  test('documents what frontends use and nothing that no role may call', () => {
    const ops = Object.entries(doc.paths as Record<string, Json>).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    for (const expected of ['GET /courses', 'GET /courses/{id}', 'GET /chapters/{id}', 'POST /auth/local', 'GET /recommendations', 'POST /checkout/sessions', 'GET /paywall/media/{fileId}', 'POST /progress']) {
      assert.ok(ops.includes(expected), `${expected} is documented`);
    }
    for (const absent of ['GET /subscriptions', 'GET /progresses', 'GET /users', 'GET /users-permissions/roles', 'GET /content-type-builder/content-types', 'POST /email']) {
      assert.ok(!ops.includes(absent), `${absent} is not part of the public surface`);
    }
    for (const item of Object.values(doc.paths as Record<string, Json>)) {
      for (const op of Object.values(item)) assert.ok(Array.isArray(op['x-roles']) && op['x-roles'].length > 0, `${op.operationId} says who may call it`);
    }
    const chapter = doc.components.schemas.ApiChapterChapterDocument;
    assert.equal(chapter.properties.locked.type, 'boolean');
    assert.doesNotMatch(JSON.stringify(doc), /"format":"uuid"/, 'documentIds are not UUIDs');
  });

  test('every route of the platform plugins is defined with its schemas, a summary and examples', async () => {
    const defined = new Map(definedRoutes().map((d) => [`${d.spec.method} ${d.fullPath}`, d]));
    const missing: string[] = [];
    const incomplete: string[] = [];
    for (const r of await contentApiSurface(app.strapi)) {
      const plugin = r.owner.replace(/^plugin::/, '');
      if (!r.owner.startsWith('plugin::') || !PLATFORM_PLUGINS.includes(plugin)) continue;
      const d = defined.get(`${r.method} /api${r.path}`);
      if (!d) {
        missing.push(`${r.method} /api${r.path}`);
        continue;
      }
      const params = [...d.spec.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
      const shape = d.spec.request?.params?.shape ?? {};
      for (const p of params) if (!(p in shape)) incomplete.push(`${r.method} /api${r.path}: path parameter ${p} has no schema`);
      if (!d.spec.summary) incomplete.push(`${r.method} /api${r.path}: no summary`);
      if (!d.spec.examples?.length) incomplete.push(`${r.method} /api${r.path}: no example`);
    }
    assert.deepEqual(missing, [], 'routes registered without the kernel (no request/response schemas)');
    assert.deepEqual(incomplete, []);
  });

  test('every example is a valid request by the document, and the server answers it as documented', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema({ $id: 'kp://openapi', components: doc.components });
    const withRefs = (schema: unknown) =>
      JSON.parse(JSON.stringify(schema ?? {}).replaceAll('"#/components/', '"kp://openapi#/components/').replaceAll('"$schema":"https://json-schema.org/draft/2020-12/schema",', ''));
    const resolve = (v: unknown): unknown => {
      if (typeof v === 'string') return v.startsWith('$') && v in tokens ? tokens[v] : v;
      if (Array.isArray(v)) return v.map(resolve);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
      return v;
    };
    // A path parameter travels as text; an integer or number schema describes its decoded value (OpenAPI's simple style).
    const fromUrl = (schema: Json, value: string | undefined): unknown =>
      (schema?.type === 'integer' || schema?.type === 'number') && value !== undefined && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    const auth = (as: Example['as']) => (as === 'learner' ? learner.auth : as === 'instructor' ? instructor.auth : undefined);
    const problems: string[] = [];
    let sent = 0;
    for (const [p, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const method of METHODS) {
        const op = item[method] as Json | undefined;
        if (!op) continue;
        for (const ex of (op['x-examples'] ?? []) as Example[]) {
          const where = `${method.toUpperCase()} ${p} — ${ex.name}`;
          const params = resolve(ex.params ?? {}) as Record<string, string>;
          const query = resolve(ex.query ?? {}) as Record<string, string>;
          const body = resolve(ex.body);
          const declared = new Map(((op.parameters ?? []) as Json[]).map((prm) => [`${prm.in}:${prm.name}`, prm]));
          // The request, checked against the document — but for examples of a refused input (400),
          // whose point is a request the document does not allow.
          const refusedInput = ex.status === 400;
          for (const name of [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)) {
            const prm = declared.get(`path:${name}`);
            if (!prm) problems.push(`${where}: path parameter ${name} is not documented`);
            else if (!refusedInput && !ajv.validate(withRefs(prm.schema), fromUrl(prm.schema, params[name]))) problems.push(`${where}: path ${name}=${params[name]} does not match its schema: ${ajv.errorsText()}`);
          }
          for (const key of Object.keys(query)) {
            const top = key.split('[')[0]!;
            const exploded = key.match(/^[^[]+\[[^\]]+\]/)?.[0];
            if (!refusedInput && !declared.has(`query:${top}`) && !(exploded && declared.has(`query:${exploded}`))) problems.push(`${where}: query parameter ${key} is not documented`);
          }
          if (body !== undefined) {
            const content = (op.requestBody?.content ?? {}) as Json;
            const schema = (content['application/json'] ?? content['multipart/form-data'] ?? Object.values(content)[0])?.schema;
            if (!schema) problems.push(`${where}: a request body is not documented`);
            else if (!refusedInput && !ajv.validate(withRefs(schema), body)) problems.push(`${where}: the body does not match the document: ${ajv.errorsText()}`);
          }
          // The answer of the running server.
          const url = `/api${p.replace(/\{([^}]+)\}/g, (_m, n: string) => encodeURIComponent(params[n] ?? ''))}`;
          let req = app.http()[method](url).query(query);
          const a = auth(ex.as);
          if (a) req = req.set('Authorization', a);
          const res = body !== undefined ? await req.send(body as object) : await req;
          sent += 1;
          if (res.status !== ex.status) {
            problems.push(`${where}: answered ${res.status}, documented ${ex.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
            continue;
          }
          const documented = op.responses?.[String(res.status)];
          if (!documented) {
            problems.push(`${where}: status ${res.status} is not documented`);
            continue;
          }
          const schema = documented.content?.['application/json']?.schema;
          if (schema && /json/.test(String(res.headers['content-type'] ?? '')) && !ajv.validate(withRefs(schema), res.body)) {
            problems.push(`${where}: the ${res.status} body does not match its documented schema: ${ajv.errorsText(ajv.errors, { separator: '; ' }).slice(0, 600)}`);
          }
        }
      }
    }
    assert.ok(sent >= 15, `examples sent: ${sent}`);
    assert.deepEqual(problems, []);
  });
});
