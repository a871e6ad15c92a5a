import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import register from './register';

/** A hand-built strapi with just what register() touches, recording what it installs. */
function fakeStrapi(config: Record<string, unknown>) {
  const installed: string[] = [];
  const strapi = {
    documents: { use: () => installed.push('documents.use') },
    plugin: () => ({ config: (key: string) => config[key] }),
    log: { warn: () => installed.push('log.warn'), error: () => undefined },
    sanitizers: { add: (key: string) => installed.push(`sanitizers.add ${key}`) },
    contentAPI: {
      sanitize: { output: async (d: unknown) => d, query: async (q: unknown) => q },
      validate: { query: async () => undefined },
    },
    server: { use: () => installed.push('server.use') },
    requestContext: { get: () => undefined },
  };
  return { strapi: strapi as never, installed };
}

describe('register: the measurement-only switch', () => {
  const saved = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = saved;
  });

  test('is refused when NODE_ENV=production: the app does not boot', () => {
    process.env.NODE_ENV = 'production';
    const { strapi } = fakeStrapi({ measurementOnlyUngated: true });
    assert.throws(() => register({ strapi }), /refused when NODE_ENV=production/);
  });

  test('outside production it disables the gate, loudly', () => {
    process.env.NODE_ENV = 'development';
    const { strapi, installed } = fakeStrapi({ measurementOnlyUngated: true });
    register({ strapi });
    // Editors' media links stay on: they are not the gate (nor is private storage, in bootstrap).
    assert.deepEqual(installed, ['documents.use', 'server.use', 'log.warn']);
  });

  test('without it, the gate is installed on output and queries', () => {
    process.env.NODE_ENV = 'production';
    const { strapi, installed } = fakeStrapi({ measurementOnlyUngated: false });
    register({ strapi });
    assert.deepEqual(installed, ['documents.use', 'server.use', 'sanitizers.add content-api.output']);
  });
});
