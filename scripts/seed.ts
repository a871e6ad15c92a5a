/**
 * `npm run seed [-- --if-empty] [--demo-admin] [--courses N]`
 * Boots the compiled app (no HTTP server), writes the demo catalogue idempotently, and with
 * --demo-admin creates a demo admin and a demo learner (never when NODE_ENV=production).
 */
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';
import { buildDemoCatalogue } from './lib/demo-catalogue';
import { seedCatalogue } from './lib/seed-writer';

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
    const courseCount = await strapi.db.query('api::course.course').count();
    if (process.argv.includes('--if-empty') && courseCount > 0) {
      console.log(`seed: the database already has ${courseCount} course rows, nothing to do.`);
    } else {
      const courses = arg('--courses');
      const catalogue = buildDemoCatalogue({ courses: courses ? Number(courses) : undefined });
      console.log(`seed: writing ${catalogue.courses.length} courses, ${catalogue.categories.length} categories, ${catalogue.tags.length} tags, ${catalogue.instructors.length} instructors, ${catalogue.plans.length} plans…`);
      const report = await seedCatalogue(strapi, catalogue, (line) => console.log(`  ${line}`));
      console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(report.created)}, ${report.skipped} courses already present.`);
    }

    if (process.argv.includes('--demo-admin')) {
      if (process.env.NODE_ENV === 'production') {
        console.log('seed: NODE_ENV=production, no demo accounts created.');
      } else {
        await ensureDemoAccounts(strapi);
      }
    }
  } finally {
    await strapi.destroy();
  }
}

async function ensureDemoAccounts(strapi: Awaited<ReturnType<typeof createStrapi>>): Promise<void> {
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
  console.log('');
  console.log('  Demo accounts (development only — never created with NODE_ENV=production):');
  console.log(`    admin panel  ${base}/admin   ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
  console.log(`    learner      POST /api/auth/local          ${DEMO_LEARNER.email} / ${DEMO_LEARNER.password}`);
  console.log('    instructors  <slug>@instructors.example.com / Demo-<slug>-2026 (e.g. ada-lin@instructors.example.com / Demo-ada-lin-2026)');
  console.log('');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
