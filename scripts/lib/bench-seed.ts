/**
 * The catalogue the HTTP benchmarks read: `courses` paid courses with 3 chapters each by one
 * instructor, and a learner who owns the first — seeded through the app itself (the test
 * builders), in a process of its own boot, before the measured servers start.
 */
export interface SeededCatalogue {
  /** The learner's `Authorization` header. */
  auth: string;
  /** documentId of the course the learner owns. */
  owned: string;
  courses: string[];
}

export async function seedBenchCatalogue(dbEnv: Record<string, string>, kind: 'sqlite' | 'postgres', dist: string, courses: number): Promise<SeededCatalogue> {
  process.env.TEST_DIST_DIR = dist;
  process.env.STRAPI_DIST_DIR = dist;
  const { bootApp } = await import('../../tests/support/strapi');
  const { createCourse, createInstructor, createUser } = await import('../../tests/support/builders');
  const { grantCourse } = await import('../../tests/support/learning-helpers');
  const app = await bootApp({ database: { kind, env: dbEnv, drop: async () => undefined } });
  try {
    const started = Date.now();
    const instructor = await createInstructor(app);
    const ids: string[] = [];
    for (let i = 0; i < courses; i += 1) ids.push((await createCourse(app, { instructor: instructor.instructorDocumentId, access: 'paid', chapters: 3 })).documentId);
    const learner = await createUser(app);
    await grantCourse(app, learner.id, ids[0]!);
    console.log(`  seeded ${courses} courses × 3 chapters and a learner who owns one, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { auth: learner.auth, owned: ids[0]!, courses: ids };
  } finally {
    await app.strapi.destroy();
  }
}
