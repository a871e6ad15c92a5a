import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { PlatformHttpError, type DocumentContext } from '@kp/platform';
import { createDocumentGuard } from './document-guard';

const CERT = 'plugin::learning.certificate';
const PROGRESS = 'api::progress.progress';

/** A hand-built strapi: the guard reads one certificate row and logs. */
function fakeStrapi(current: { state: 'valid' | 'revoked'; revokedReason: string | null } | null) {
  const logs: string[] = [];
  const strapi = {
    db: { query: () => ({ findOne: async () => current }) },
    log: { info: (m: string) => logs.push(m) },
  } as unknown as Core.Strapi;
  return { strapi, logs };
}

async function run(current: Parameters<typeof fakeStrapi>[0], ctx: DocumentContext) {
  const { strapi, logs } = fakeStrapi(current);
  let passed: DocumentContext | null = null;
  await createDocumentGuard(strapi)(ctx, async () => {
    passed = ctx;
    return 'result';
  });
  return { passed: passed as DocumentContext | null, logs };
}

describe('document guard', () => {
  test('reads pass untouched', async () => {
    for (const uid of [PROGRESS, CERT]) {
      const { passed } = await run(null, { uid, action: 'findMany', params: {} });
      assert.ok(passed);
    }
  });

  test('other content types are not its business', async () => {
    const { passed } = await run(null, { uid: 'api::course.course', action: 'delete', params: { documentId: 'x' } });
    assert.ok(passed);
  });

  for (const action of ['create', 'update', 'delete', 'clone']) {
    test(`progress ${action} is refused with a message`, async () => {
      await assert.rejects(run(null, { uid: PROGRESS, action, params: { data: {} } }), (e: unknown) => {
        assert.ok(e instanceof PlatformHttpError && e.status === 403);
        assert.match((e as Error).message, /POST \/api\/progress/);
        return true;
      });
    });
  }

  for (const action of ['create', 'delete', 'clone']) {
    test(`certificate ${action} is refused`, async () => {
      await assert.rejects(run({ state: 'valid', revokedReason: null }, { uid: CERT, action, params: {} }), (e: unknown) => {
        assert.ok(e instanceof PlatformHttpError && e.status === 403);
        assert.match((e as Error).message, /never created or deleted by hand/);
        return true;
      });
    });
  }

  test('a revocation keeps state and reason only, and stamps the time', async () => {
    const before = Date.now();
    const { passed, logs } = await run(
      { state: 'valid', revokedReason: null },
      { uid: CERT, action: 'update', params: { documentId: 'd1', data: { state: 'revoked', revokedReason: ' Fraud ', learnerName: 'X', code: 'y', updatedBy: 3 } } }
    );
    const data = passed!.params.data as Record<string, unknown>;
    assert.deepEqual(Object.keys(data).sort(), ['revokedAt', 'revokedReason', 'state', 'updatedBy']);
    assert.equal(data.revokedReason, 'Fraud');
    assert.ok((data.revokedAt as Date).getTime() >= before);
    assert.equal(logs.length, 1);
  });

  test('an edit that changes nothing allowed writes nothing but who saved', async () => {
    const { passed } = await run({ state: 'valid', revokedReason: null }, { uid: CERT, action: 'update', params: { documentId: 'd1', data: { learnerName: 'Forged' } } });
    assert.deepEqual(passed!.params.data, {});
  });

  const refused: Array<[string, Record<string, unknown>, { state: 'valid' | 'revoked'; revokedReason: string | null }, RegExp]> = [
    ['revoke without a reason', { state: 'revoked' }, { state: 'valid', revokedReason: null }, /reason/],
    ['an unknown state', { state: 'lost' }, { state: 'valid', revokedReason: null }, /valid.*revoked/],
    ['a reason that is not text', { state: 'revoked', revokedReason: 42 }, { state: 'valid', revokedReason: null }, /text/],
    ['reinstating', { state: 'valid' }, { state: 'revoked', revokedReason: 'Fraud' }, /cannot be made valid/],
  ];
  for (const [name, data, current, message] of refused) {
    test(`refused: ${name}`, async () => {
      await assert.rejects(run(current, { uid: CERT, action: 'update', params: { documentId: 'd1', data } }), (e: unknown) => {
        assert.ok(e instanceof errors.ValidationError);
        assert.match((e as Error).message, message);
        return true;
      });
    });
  }

  test('an unknown certificate goes on to the Document Service unchanged', async () => {
    const params = { documentId: 'nope', data: { state: 'revoked' } };
    const { passed } = await run(null, { uid: CERT, action: 'update', params });
    assert.equal(passed!.params, params);
  });
});
