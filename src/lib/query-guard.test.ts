import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { installQueryGuard } from './query-guard';

const COURSE = 'api::course.course';
const TAG = 'api::tag.tag';

const DEFAULTS = { maxPopulateDepth: 3, maxEntities: 2500, maxFilterRelations: 4, statsTtlSeconds: 60, measurementOnlyOff: false };

/** A hand-built strapi with what the guard touches; the wrapped functions record their calls. */
function fakeStrapi(budget: Record<string, unknown>) {
  const calls: string[] = [];
  const models: Record<string, { uid: string; attributes: Record<string, Record<string, unknown>> }> = {
    [COURSE]: { uid: COURSE, attributes: { title: { type: 'string' }, tags: { type: 'relation', relation: 'manyToMany', target: TAG } } },
    [TAG]: { uid: TAG, attributes: { name: { type: 'string' }, courses: { type: 'relation', relation: 'manyToMany', target: COURSE } } },
  };
  const strapi = {
    config: { get: (key: string, fallback?: unknown) => (key === 'query-budget' ? budget : fallback) },
    log: { warn: () => calls.push('log.warn') },
    getModel: (uid: string) => models[uid],
    db: { metadata: { get: (uid: string) => models[uid] } },
    contentAPI: {
      validate: { query: async () => void calls.push('strapi validate') },
      sanitize: { query: async (q: unknown) => (calls.push('strapi sanitize'), q) },
    },
    requestContext: { get: () => undefined },
  };
  return { strapi: strapi as never, calls, api: strapi.contentAPI };
}

describe('installQueryGuard', () => {
  const saved = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = saved;
  });

  test('a setting that is not a usable number stops the boot, naming it', () => {
    for (const [key, name] of [['maxEntities', 'QUERY_MAX_ENTITIES'], ['maxPopulateDepth', 'QUERY_MAX_POPULATE_DEPTH'], ['maxFilterRelations', 'QUERY_MAX_FILTER_RELATIONS']] as const) {
      const { strapi } = fakeStrapi({ ...DEFAULTS, [key]: Number.NaN });
      assert.throws(() => installQueryGuard(strapi), new RegExp(`${name} must be an integer`));
    }
    assert.throws(() => installQueryGuard(fakeStrapi({ ...DEFAULTS, maxEntities: 0 }).strapi), /QUERY_MAX_ENTITIES must be an integer ≥ 1/);
  });

  test('the measurement-only switch is refused when NODE_ENV=production', () => {
    process.env.NODE_ENV = 'production';
    assert.throws(() => installQueryGuard(fakeStrapi({ ...DEFAULTS, measurementOnlyOff: true }).strapi), /refused when NODE_ENV=production/);
  });

  test('checks run before Strapi’s, and a refused query never reaches it', async () => {
    const { strapi, calls, api } = fakeStrapi(DEFAULTS);
    installQueryGuard(strapi);
    const schema = { uid: COURSE };
    const validate = api.validate.query as (q: unknown, s: unknown) => Promise<void>;
    await assert.rejects(validate({ filters: { $and: '1' } }, schema), (e: Error & { details?: { param?: string; path?: string } }) => {
      assert.equal(e.name, 'ValidationError');
      assert.match(e.message, /filters\[\$and\] takes a list/);
      assert.deepEqual([e.details?.param, e.details?.path], ['filters', 'filters[$and]']);
      return true;
    });
    await assert.rejects(validate({ populate: 'tags.courses.tags.courses' }, schema), /QUERY_MAX_POPULATE_DEPTH/);
    await assert.rejects(validate({ filters: { $or: [1, 2, 3, 4, 5].map(() => ({ tags: { name: 'x' } })) } }, schema), /QUERY_MAX_FILTER_RELATIONS/);
    assert.deepEqual(calls, []);
    await validate({ populate: 'tags' }, schema);
    assert.deepEqual(calls, ['strapi validate']);
  });

  test('with the switch (outside production): loudly no budget, but shapes are still checked', async () => {
    process.env.NODE_ENV = 'development';
    const { strapi, calls, api } = fakeStrapi({ ...DEFAULTS, measurementOnlyOff: true });
    installQueryGuard(strapi);
    assert.deepEqual(calls, ['log.warn']);
    const validate = api.validate.query as (q: unknown, s: unknown) => Promise<void>;
    await validate({ populate: 'tags.courses.tags.courses.tags' }, { uid: COURSE });
    await assert.rejects(validate({ filters: { title: { $between: 'a' } } }, { uid: COURSE }), /exactly two values/);
    assert.deepEqual(calls, ['log.warn', 'strapi validate']);
  });
});
