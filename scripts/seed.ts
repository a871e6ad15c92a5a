/**
 * `npm run seed [-- --if-empty] [--demo-admin] [--courses N]`
 * Boots the compiled app (no HTTP server), writes the demo catalogue idempotently, and with
 * --demo-admin creates a demo admin and a demo learner (never when NODE_ENV=production).
 */
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';
import { buildDemoCatalogue } from './lib/demo-catalogue';
import { SingleBar, Presets } from 'cli-progress';
import { seedReviewDemo } from './lib/seed-review';
import { seedCatalogue, type SeedProgress } from './lib/seed-writer';

const DEMO_ADMIN = { email: 'admin@example.com', password: 'Admin-demo-2026', firstname: 'Demo', lastname: 'Editor' };
const DEMO_LEARNER = { username: 'learner', email: 'learner@example.com', password: 'Learner-demo-2026' };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const appDir = path.resolve(__dirname, '..');
  process.chdir(appDir);
  const started = Date.now();
  const strapi = createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false });
  strapi.log.level = 'warn';
  await strapi.load();

  try {
    const demoAdmin = process.argv.includes('--demo-admin');
    if (demoAdmin && process.env.NODE_ENV === 'production') console.log('seed: NODE_ENV=production, no demo accounts created.');
    // First, so that the review demo has an editor to request changes and approve.
    const printAccounts = demoAdmin && process.env.NODE_ENV !== 'production' ? await ensureDemoAccounts(strapi) : null;
    const courseCount = await strapi.db.query('api::course.course').count();
    if (process.argv.includes('--if-empty') && courseCount > 0) {
      console.log(`seed: the database already has ${courseCount} course rows, nothing to do.`);
    } else {
      const courses = arg('--courses');
      const catalogue = buildDemoCatalogue({ courses: courses ? Number(courses) : undefined });
      console.log(`seed: writing ${catalogue.courses.length} courses, ${catalogue.categories.length} categories, ${catalogue.tags.length} tags, ${catalogue.instructors.length} instructors, ${catalogue.plans.length} plans…`);
      // A progress bar on a terminal; plain lines otherwise (CI logs, pipes).
      const tty = Boolean(process.stdout.isTTY);
      const bar = tty
        ? new SingleBar({ format: 'seed {bar} {value}/{total} courses | {chapters} chapters | {title}', hideCursor: true, clearOnComplete: true }, Presets.shades_classic)
        : null;
      bar?.start(catalogue.courses.length, 0, { chapters: 0, title: '' });
      const onProgress = (p: SeedProgress) => bar?.update(p.done, { chapters: p.chapters, title: p.title.slice(0, 40) });
      let report;
      try {
        report = await seedCatalogue(strapi, catalogue, (line) => {
          if (!bar) console.log(`  ${line}`);
        }, onProgress, { covers: true });
      } finally {
        bar?.stop();
      }
      await seedReviewDemo(strapi, (line) => console.log(`  ${line}`));
      // Background work the writes started (the recommender's re-reads) finishes before the pool closes.
      await settleBackgroundWork(strapi);
      console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(report.created)}, ${report.skipped} courses already present.`);
    }

    printAccounts?.();
  } finally {
    await settleBackgroundWork(strapi);
    await strapi.destroy();
  }
}

/**
 * Waits (at most 30 s) for the work the seed's writes started in the background: the recommender
 * re-reads written courses once writes pause. Destroying Strapi under a running query closes its
 * pool under it (an uncaught KnexTimeoutError after "seed: done").
 */
async function settleBackgroundWork(strapi: Awaited<ReturnType<typeof createStrapi>>): Promise<void> {
  const index = strapi.plugin('recommender')?.service('course-index') as { settled?: () => Promise<void>; stop?: () => void } | undefined;
  if (!index?.settled) return;
  await Promise.race([index.settled(), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
  index.stop?.();
}

/** Creates the demo accounts (idempotent); answers what prints them (after the seed's own lines). */
async function ensureDemoAccounts(strapi: Awaited<ReturnType<typeof createStrapi>>): Promise<() => void> {
  const existingAdmin = await strapi.db.query('admin::user').findOne({ where: { email: DEMO_ADMIN.email } });
  if (!existingAdmin) {
    const superAdmin = await strapi.db.query('admin::role').findOne({ where: { code: 'strapi-super-admin' } });
    await strapi.service('admin::user').create({ ...DEMO_ADMIN, isActive: true, registrationToken: null, roles: [superAdmin.id] });
  }
  const learnerRole = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  const existingLearner = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { email: DEMO_LEARNER.email } });
  if (!existingLearner) {
    await strapi.plugin('users-permissions').service('user').add({ ...DEMO_LEARNER, provider: 'local', confirmed: true, blocked: false, role: learnerRole.id });
  }
  const base = `http://localhost:${process.env.PORT ?? 1337}`;
  return () => {
    console.log('');
    console.log('  Demo accounts (development only — never created with NODE_ENV=production):');
    console.log(`    admin panel  ${base}/admin   ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
    console.log(`    learner      POST /api/auth/local          ${DEMO_LEARNER.email} / ${DEMO_LEARNER.password}`);
    console.log('    instructors  <slug>@instructors.example.com / Demo-<slug>-2026 (e.g. ada-lin@instructors.example.com / Demo-ada-lin-2026)');
    console.log('');
  };
}

// Exit as soon as the work is done: a timer or socket left by a plugin must not keep the seed alive.
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  }
);
