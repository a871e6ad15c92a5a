/** Typed route input, admin route paths, success statuses and the 5xx refusals. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { PlatformHttpError, httpError, sendError } from './http';
import { adminRoutes, definedRoutes, inputOf, route, validationMiddleware, type InputOf } from './routes';
import { documentIdSchema, paginationSchema } from './schemas';

/** Compile-time equality of two types. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const refund = route({
  method: 'POST',
  path: '/orders/:id/refund',
  handler: 'orders.refund',
  summary: 'Refund',
  request: { params: z.object({ id: documentIdSchema }), query: z.strictObject(paginationSchema(50, 10)), body: z.strictObject({ note: z.string().optional() }) },
  response: z.object({ data: z.object({ refundId: z.string() }) }),
  status: 202,
  errors: { 502: 'the payment provider failed' },
});
const bare = route({ method: 'GET', path: '/ping', handler: 'ping.ping', summary: 'Ping', response: z.object({ ok: z.boolean() }) });

// The parsed input is typed from the route's own schemas; parts a route does not declare are empty.
export const typed: [
  Same<InputOf<typeof refund>['params'], { id: string }>,
  Same<InputOf<typeof refund>['query'], { page: number; pageSize: number }>,
  Same<InputOf<typeof refund>['body'], { note?: string | undefined }>,
  Same<InputOf<typeof bare>['params'], Record<string, never>>,
  Same<InputOf<typeof bare>['body'], undefined>,
] = [true, true, true, true, true];

describe('routes', () => {
  test('inputOf hands the handler what the middleware parsed, with its types', async () => {
    const ctx = { params: { id: 'ord1' }, query: { pageSize: '5' }, request: { body: { note: 'duplicate' } }, state: {} as Record<string | symbol, unknown> };
    await validationMiddleware(refund)(ctx, async () => undefined);
    const input = inputOf(ctx, refund);
    const pageSize: number = input.query.pageSize;
    assert.deepEqual([input.params.id, input.query.page, pageSize, input.body.note], ['ord1', 1, 5, 'duplicate']);
  });

  test('admin routes are documented under /<plugin>, where Strapi serves a plugin’s admin routes', () => {
    adminRoutes('kernel-admin-test', [refund, { ...bare, config: { prefix: '/elsewhere' } }]);
    const paths = definedRoutes()
      .filter((d) => d.plugin === 'kernel-admin-test')
      .map((d) => `${d.spec.method} ${d.fullPath} ${d.spec.status ?? 200}`);
    assert.deepEqual(paths, ['POST /kernel-admin-test/orders/:id/refund 202', 'GET /elsewhere/ping 200']);
  });
});

describe('5xx refusals', () => {
  const cases: Array<[500 | 502, string]> = [
    [500, 'InternalServerError'],
    [502, 'BadGatewayError'],
  ];
  for (const [status, name] of cases) {
    test(`${status} is ${name}, in Strapi's HttpError chain, message kept`, () => {
      const e = httpError(status, 'The payment provider could not be reached.', { provider: 'stripe' });
      assert.ok(e instanceof PlatformHttpError);
      assert.ok(e instanceof errors.HttpError);
      assert.deepEqual([e.name, (e as PlatformHttpError).status, e.message, (e as PlatformHttpError).details], [name, status, 'The payment provider could not be reached.', { provider: 'stripe' }]);
      const ctx = { status: 0, body: undefined as unknown };
      sendError(ctx, status, 'x');
      assert.deepEqual(ctx, { status, body: { data: null, error: { status, name, message: 'x', details: {} } } });
    });
  }
});
