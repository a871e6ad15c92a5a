import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Core } from '@strapi/strapi';
import platform from './platform';
import { PlatformHttpError } from '@kp/platform';

/** A hand-built strapi whose plugins expose the given services. */
function fakeStrapi(plugins: Record<string, Record<string, unknown>>) {
  const warnings: string[] = [];
  const strapi = {
    plugin: (name: string) => (plugins[name] ? { service: (s: string) => plugins[name]![s] } : undefined),
    log: { warn: (m: string) => warnings.push(m) },
  } as unknown as Core.Strapi;
  return { strapi, warnings };
}

const NOW = new Date('2026-11-23T10:00:00Z');
const input = { userId: 1, courseDocumentId: 'c1', kind: 'progress' as const, at: NOW };

describe('platform: the recommender only listens', () => {
  test('absent plugin: nothing happens', async () => {
    const { strapi } = fakeStrapi({});
    await platform({ strapi }).signal(input);
  });

  test('plugin without the service: nothing happens', async () => {
    const { strapi } = fakeStrapi({ recommender: {} });
    await platform({ strapi }).signal(input);
  });

  test('a failing service is logged, never thrown', async () => {
    const { strapi, warnings } = fakeStrapi({ recommender: { interactions: { record: async () => Promise.reject(new Error('boom')) } } });
    await platform({ strapi }).signal(input);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /boom/);
  });

  test('the contract is called as stated', async () => {
    const seen: unknown[] = [];
    const { strapi } = fakeStrapi({ recommender: { interactions: { record: async (i: unknown) => void seen.push(i) } } });
    await platform({ strapi }).signal(input);
    assert.deepEqual(seen, [input]);
  });
});

describe('platform: the paywall decides, or nothing is recorded', () => {
  test('absent paywall: 503 that names it', async () => {
    const { strapi } = fakeStrapi({});
    await assert.rejects(platform({ strapi }).decideChapter(1, 'ch', NOW), (e: unknown) => {
      assert.ok(e instanceof PlatformHttpError);
      assert.equal(e.status, 503);
      assert.match((e as Error).message, /paywall/);
      return true;
    });
  });

  test('the access service is asked with the learner and the clock', async () => {
    const calls: unknown[] = [];
    const access = {
      decideChapter: async (...args: unknown[]) => (calls.push(['chapter', ...args]), { allowed: true, via: 'preview' }),
      decideCourse: async (...args: unknown[]) => (calls.push(['course', ...args]), { allowed: false, reason: 'no-entitlement' }),
    };
    const { strapi } = fakeStrapi({ paywall: { access } });
    assert.deepEqual(await platform({ strapi }).decideChapter(7, 'ch', NOW), { allowed: true, via: 'preview' });
    assert.deepEqual(await platform({ strapi }).decideCourse(7, 'co', NOW), { allowed: false, reason: 'no-entitlement' });
    assert.deepEqual(calls, [
      ['chapter', { id: 7 }, 'ch', NOW],
      ['course', { id: 7 }, 'co', NOW],
    ]);
  });
});
