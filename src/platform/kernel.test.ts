/** The kernel's pure parts, as tables: unique-violation detection, error shapes, route validation; announce over a hand-built strapi. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { isUniqueViolation } from './db';
import { PlatformHttpError, describeIssues, errorBody, httpError, parseOr400 } from './http';
import { documentIdSchema, limitSchema, localeSchema } from './schemas';
import { configValidator, rolePermissionsSchema } from './config';
import { adminRoutes, contentApiRoutes, definedRoutes, inputOf, route, validationMiddleware } from './routes';
import { isDocumentWrite } from './uids';
import { announce, onEventInTransaction } from './events';

describe('isUniqueViolation', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['PostgreSQL 23505', { code: '23505', message: 'duplicate key value violates unique constraint "x"' }, true],
    ['better-sqlite3 unique', { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: t.c' }, true],
    ['better-sqlite3 primary key', { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }, true],
    ['message only (knex wrapped)', new Error('insert into "t" - duplicate key value violates unique constraint "t_key"'), true],
    ['SQLite message only', new Error('UNIQUE constraint failed: orders.checkout_session_id'), true],
    ['wrapped in cause', Object.assign(new Error('outer'), { cause: { code: '23505' } }), true],
    ['foreign key (PostgreSQL 23503)', { code: '23503', message: 'violates foreign key constraint' }, false],
    ['not null (SQLite)', { code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: t.c' }, false],
    ['aborted transaction', { code: '25P02', message: 'current transaction is aborted' }, false],
    ['a string', 'duplicate', false],
    ['null', null, false],
  ];
  for (const [name, error, expected] of cases) test(name, () => assert.equal(isUniqueViolation(error), expected));
});

describe('error shape', () => {
  test('httpError: 400 is Strapi ValidationError, the rest are PlatformHttpError in Strapi HttpError chain', () => {
    assert.ok(httpError(400, 'bad') instanceof errors.ValidationError);
    for (const status of [401, 403, 404, 409, 410, 422, 429, 503] as const) {
      const e = httpError(status, `m${status}`, { reason: 'x' });
      assert.ok(e instanceof PlatformHttpError, `${status}`);
      assert.ok(e instanceof errors.HttpError, `${status} joins Strapi's HttpError chain`);
      assert.equal((e as PlatformHttpError).status, status);
      assert.deepEqual((e as PlatformHttpError).details, { reason: 'x' });
    }
    assert.equal(new PlatformHttpError(403, 'no').name, 'ForbiddenError');
    assert.equal(new PlatformHttpError(503, 'down').name, 'ServiceUnavailableError');
  });
  test('errorBody is the envelope', () => {
    assert.deepEqual(errorBody(404, 'NotFoundError', 'Course not found.'), {
      data: null,
      error: { status: 404, name: 'NotFoundError', message: 'Course not found.', details: {} },
    });
  });
  test('describeIssues names every field', () => {
    const r = z.object({ a: z.number(), b: z.object({ c: z.string() }) }).safeParse({ a: 'x', b: { c: 1 } });
    assert.equal(r.success, false);
    if (!r.success) assert.match(describeIssues(r.error), /^a: .+; b\.c: .+$/);
    const root = z.string().safeParse(3);
    if (!root.success) assert.match(describeIssues(root.error, 'body'), /^body: /);
  });
  test('parseOr400 answers a ValidationError with every issue in details', () => {
    assert.throws(
      () => parseOr400(z.object({ n: z.number().int() }), { n: 1.5 }, 'progress'),
      (e: unknown) => e instanceof errors.ValidationError && /^Invalid progress: n: /.test(e.message) && Array.isArray((e.details as { errors: unknown[] }).errors)
    );
    assert.deepEqual(parseOr400(z.object({ n: z.number() }), { n: 2 }, 'x'), { n: 2 });
  });
});

describe('shared schemas', () => {
  const ok = (s: z.ZodType, v: unknown) => assert.equal(s.safeParse(v).success, true, `${JSON.stringify(v)} should pass`);
  const no = (s: z.ZodType, v: unknown) => assert.equal(s.safeParse(v).success, false, `${JSON.stringify(v)} should fail`);
  test('documentId', () => {
    ok(documentIdSchema, 'k3m9x0c2v5b8n1q4w7e6r5t4');
    ok(documentIdSchema, 'a');
    for (const v of ['', 'a b', 'x'.repeat(65), 'é', '../x', 3, null, { $ne: 1 }]) no(documentIdSchema, v);
  });
  test('locale', () => {
    for (const v of ['en', 'zh-Hans', 'pt-BR', 'fil']) ok(localeSchema, v);
    for (const v of ['', 'e', 'en_', 'zh Hans', 'x'.repeat(40), 1]) no(localeSchema, v);
  });
  test('limit', () => {
    const s = limitSchema(50, 10);
    assert.equal(s.parse(undefined), 10);
    assert.equal(s.parse('7'), 7);
    for (const v of ['0', '51', '2.5', 'x', '-1']) no(s, v);
  });
  test('rolePermissions', () => {
    ok(rolePermissionsSchema, { public: ['plugin::paywall.media.show'], authenticated: [], instructor: ['api::course.course.create'] });
    no(rolePermissionsSchema, { public: ['not an action'], authenticated: [], instructor: [] });
    no(rolePermissionsSchema, { public: [], authenticated: [] });
  });
  test('configValidator names the plugin and the path', () => {
    const validate = configValidator('demo', z.object({ max: z.number().int().min(1) }));
    assert.throws(() => validate({ max: 0 }), /Invalid config of the demo plugin: max: /);
    assert.doesNotThrow(() => validate({ max: 3 }));
  });
  test('document write actions', () => {
    for (const a of ['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft']) assert.equal(isDocumentWrite(a), true, a);
    for (const a of ['findOne', 'findMany', 'count', 'findFirst', 'bogus']) assert.equal(isDocumentWrite(a), false, a);
  });
});

describe('routes', () => {
  const spec = route({
    method: 'GET',
    path: '/things/:documentId',
    handler: 'things.find',
    summary: 'A thing',
    request: {
      params: z.object({ documentId: documentIdSchema }),
      query: z.object({ limit: limitSchema(20, 5) }),
    },
    response: z.object({ data: z.object({ id: z.string() }) }),
  });
  const post = route({
    method: 'POST',
    path: '/things',
    handler: 'things.create',
    summary: 'Create a thing',
    request: { body: z.strictObject({ name: z.string().min(1) }) },
    response: z.object({ data: z.object({ id: z.string() }) }),
  });

  test('the validation middleware parses, or refuses with a 400 naming the part and the field', async () => {
    const ctx = { params: { documentId: 'abc' }, query: { limit: '3' }, request: { body: undefined }, state: {} as Record<string | symbol, unknown> };
    let ran = false;
    await validationMiddleware(spec)(ctx, async () => {
      ran = true;
    });
    assert.equal(ran, true);
    const input = inputOf(ctx, spec);
    assert.deepEqual(input.params, { documentId: 'abc' });
    assert.equal(input.query.limit, 3);
    // Typed from the route's schemas (a part typed `never` would accept both lines below).
    // @ts-expect-error — documentId is a string
    const wrongParam: number = input.params.documentId;
    // @ts-expect-error — limit is a number
    const wrongQuery: string = input.query.limit;
    void [wrongParam, wrongQuery];

    for (const [part, value, re] of [
      ['params', { params: { documentId: 'a b' }, query: {} }, /^Invalid path parameters: documentId: /],
      ['query', { params: { documentId: 'abc' }, query: { limit: '99' } }, /^Invalid query: limit: must be at most 20/],
    ] as const) {
      const bad = { ...value, request: {}, state: {} as Record<string | symbol, unknown> };
      await assert.rejects(
        () => validationMiddleware(spec)(bad, async () => assert.fail(`${part}: the handler must not run`)),
        (e: unknown) => e instanceof errors.ValidationError && re.test(e.message)
      );
    }
    const badBody = { params: {}, query: {}, request: { body: { name: 'x', admin: true } }, state: {} as Record<string | symbol, unknown> };
    await assert.rejects(() => validationMiddleware(post)(badBody, async () => undefined), /Invalid body: body: Unrecognized key/);
  });

  test('contentApiRoutes hands Strapi the same schemas, and registers the full paths', () => {
    const router = contentApiRoutes('kernel-test', [spec, { ...post, config: { prefix: '' } }]);
    assert.equal(router.type, 'content-api');
    const [r1, r2] = router.routes as Array<{ request: { params?: Record<string, z.ZodType>; body?: Record<string, z.ZodType> }; response: unknown; config: { middlewares: unknown[] } }>;
    assert.equal(r1!.request.params!.documentId, spec.request!.params!.shape.documentId);
    assert.equal(r1!.response, spec.response);
    assert.equal(r2!.request.body!['application/json'], post.request!.body);
    assert.equal(typeof r1!.config.middlewares[0], 'function');
    const paths = definedRoutes().filter((d) => d.plugin === 'kernel-test').map((d) => `${d.spec.method} ${d.fullPath}`);
    assert.deepEqual(paths, ['GET /api/kernel-test/things/:documentId', 'POST /api/things']);
  });

  test('adminRoutes registers the paths the admin API serves: /<plugin>/…, no /admin prefix', () => {
    const router = adminRoutes('kernel-admin-test', [spec]);
    assert.equal(router.type, 'admin');
    const paths = definedRoutes().filter((d) => d.plugin === 'kernel-admin-test').map((d) => `${d.spec.method} ${d.fullPath}`);
    assert.deepEqual(paths, ['GET /kernel-admin-test/things/:documentId']);
  });
});

describe('announce', () => {
  type Payload = import('./contracts').ReviewTransitionEvent;
  const payload: Payload = {
    courseDocumentId: 'c1',
    action: 'approve',
    from: 'in_review',
    to: 'approved',
    actor: { kind: 'editor', id: 1, name: 'Ed' },
    comment: null,
    at: '2026-01-01T00:00:00.000Z',
  };
  function fakeStrapi() {
    const emitted: string[] = [];
    const errors: string[] = [];
    const strapi = {
      eventHub: { emit: async (name: string) => void emitted.push(name), on: () => () => undefined },
      log: { error: (m: string) => errors.push(m) },
      // Outside a transaction, each in-transaction listener runs in a transaction of its own.
      db: { transaction: async (fn: () => Promise<unknown>) => fn() },
    } as unknown as import('@strapi/strapi').Core.Strapi;
    return { strapi, emitted, errors };
  }

  test('in-transaction listeners run before announce returns; after-commit listeners get the event', async () => {
    const { strapi, emitted } = fakeStrapi();
    const seen: string[] = [];
    const stop = onEventInTransaction(strapi, 'review.transition', async (p) => void seen.push(p.courseDocumentId));
    await announce(strapi, 'review.transition', payload);
    assert.deepEqual(seen, ['c1']);
    assert.deepEqual(emitted, ['review.transition']);
    stop();
    await announce(strapi, 'review.transition', payload);
    assert.deepEqual(seen, ['c1'], 'stopped listening');
  });

  test('a failing in-transaction listener is logged and never fails the change; the next one still runs', async () => {
    const { strapi, errors, emitted } = fakeStrapi();
    const seen: string[] = [];
    onEventInTransaction(strapi, 'review.transition', async () => {
      throw new Error('outbox down');
    });
    onEventInTransaction(strapi, 'review.transition', async (p) => void seen.push(p.to));
    await announce(strapi, 'review.transition', payload);
    assert.deepEqual(seen, ['approved']);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /outbox down/);
    assert.deepEqual(emitted, ['review.transition']);
  });
});

describe('how server code reaches the kernel', () => {
  test('only `@kp/platform` at run time: its subpaths are TypeScript sources Node cannot load from dist/', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve(__dirname, '..', '..');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
          const text = fs.readFileSync(full, 'utf8');
          // `import type` / `export type` are erased; anything else from a subpath is a require() in dist/.
          for (const m of text.matchAll(/^(import|export)\s+(?!type\b)[^;]*?from\s+'@kp\/platform\/[^']+'/gms)) offenders.push(`${path.relative(root, full)}: ${m[0].split('\n')[0]}`);
        }
      }
    };
    for (const plugin of fs.readdirSync(path.join(root, 'plugins'))) {
      const server = path.join(root, 'plugins', plugin, 'server', 'src');
      if (fs.existsSync(server)) walk(server);
    }
    walk(path.join(root, 'config'));
    assert.deepEqual(offenders, []);
  });
});
