/**
 * A second Strapi instance in its own process, on the database of the test that spawns it (two
 * servers behind one load balancer). Boots the same compiled app (`TEST_DIST_DIR`), listens on
 * PORT, prints `READY <port>` on stdout, and shuts down cleanly on SIGTERM.
 *   node --import tsx tests/support/checkout-instance.ts   (env: DATABASE_*, STRIPE_*, PORT)
 */
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';

const APP_DIR = path.resolve(__dirname, '..', '..');
const DIST_DIR = process.env.TEST_DIST_DIR ?? path.join(APP_DIR, 'dist');
process.env.STRAPI_DIST_DIR = DIST_DIR;

async function main(): Promise<void> {
  process.chdir(APP_DIR);
  const strapi = createStrapi({ appDir: APP_DIR, distDir: DIST_DIR, autoReload: false, serveAdminPanel: false });
  strapi.log.level = 'error';
  await strapi.load();
  strapi.log.level = 'error';
  await strapi.listen();
  const port = Number(process.env.PORT);
  process.stdout.write(`READY ${port}\n`);
  const stop = () => {
    strapi
      .destroy()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`instance failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
