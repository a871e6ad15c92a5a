/**
 * Review demo: one course of a demo instructor in each review state, so that the editors' queue,
 * a submission's page and an instructor's list show something real on a fresh demo. The courses
 * are written as the instructor would (drafts, with a cover, chapters and a preview) and moved
 * through the review plugin's own transitions (its checks run; approval publishes). Idempotent:
 * a course that exists (by slug) is left as it is.
 */
import type { Core } from '@strapi/strapi';
import type { ReviewActor } from '@kp/platform';
import { coverPng } from './covers';
import { uploadImage } from './seed-writer';

type State = 'draft' | 'in_review' | 'changes_requested' | 'approved';

const DEMOS: Array<{ state: State; slug: string; title: string; category: string }> = [
  { state: 'draft', slug: 'review-demo-writing-clear-docs', title: 'Writing clear technical documentation', category: 'programming' },
  { state: 'in_review', slug: 'review-demo-sql-for-analysts', title: 'SQL for analysts: from questions to queries', category: 'data-science' },
  { state: 'changes_requested', slug: 'review-demo-watercolour-basics', title: 'Watercolour basics in ten short sessions', category: 'design' },
  { state: 'approved', slug: 'review-demo-public-speaking', title: 'Public speaking without the panic', category: 'business' },
];

const SUMMARY = (title: string) => `${title}: a short, practical course with exercises after every chapter and a small final project.`;
const DESCRIPTION = (title: string) =>
  `${title} is built from short chapters. Each one explains one idea, shows it on a worked example and ends with an exercise you can finish in a few minutes. ` +
  'By the end you will have a small project of your own and the habits to keep improving.';

interface Services {
  submit(id: string, actor: ReviewActor, instructorDocumentId: string): Promise<{ ok: boolean; reason?: string; checks?: Array<{ id: string; passed: boolean; message: string }> }>;
  withdraw(id: string, actor: ReviewActor): Promise<{ ok: boolean }>;
  requestChanges(id: string, actor: ReviewActor, comment: string): Promise<{ ok: boolean }>;
  approve(id: string, actor: ReviewActor, comment?: string | null): Promise<{ ok: boolean }>;
  editorActor(admin: { id: number }): Promise<ReviewActor>;
}

/** Writes the review demo; answers how many courses it wrote per state. */
export async function seedReviewDemo(strapi: Core.Strapi, log: (line: string) => void = () => {}): Promise<Partial<Record<State, number>>> {
  const review = strapi.plugin('review')?.service('submissions') as Services | undefined;
  if (!review) return {};
  const profile = (await strapi.db.query('api::instructor.instructor').findOne({
    where: { user: { id: { $notNull: true } } },
    select: ['documentId', 'name'],
    populate: { user: { select: ['id'] } },
    orderBy: { id: 'asc' },
  })) as { documentId: string; name: string; user: { id: number } } | null;
  if (!profile) return {};
  const admin = (await strapi.db.query('admin::user').findOne({ select: ['id'], orderBy: { id: 'asc' } })) as { id: number } | null;
  const editor = admin ? await review.editorActor(admin) : null;
  const instructor: ReviewActor = { kind: 'instructor', id: profile.user.id, name: profile.name };
  const written: Partial<Record<State, number>> = {};

  for (const demo of DEMOS) {
    if (await strapi.db.query('api::course.course').findOne({ where: { slug: demo.slug }, select: ['id'] })) continue;
    if ((demo.state === 'changes_requested' || demo.state === 'approved') && !editor) {
      log(`review demo: no admin user yet, "${demo.state}" skipped (run with --demo-admin)`);
      continue;
    }
    const category = (await strapi.db.query('api::category.category').findOne({ where: { slug: demo.category }, select: ['documentId'] })) as { documentId: string } | null;
    const cover = await uploadImage(strapi, `${demo.slug}-cover.png`, await coverPng(demo.slug, demo.category), demo.title);
    const course = await strapi.documents('api::course.course').create({
      locale: 'en',
      data: {
        title: demo.title,
        slug: demo.slug,
        summary: SUMMARY(demo.title),
        description: DESCRIPTION(demo.title),
        level: 'beginner',
        access: 'paid',
        price: 1900,
        currency: 'usd',
        cover,
        instructor: profile.documentId,
        ...(category ? { category: category.documentId } : {}),
      } as never,
    });
    for (const [i, title] of ['Getting started', 'The core idea', 'Practice', 'Your project'].entries()) {
      await strapi.documents('api::chapter.chapter').create({
        locale: 'en',
        data: {
          title,
          position: i + 1,
          isPreview: i === 0,
          duration: 10 + 5 * i,
          body: `## ${title}\n\nWhat this chapter of *${demo.title}* covers, a worked example, and a short exercise.`,
          course: course.documentId,
        } as never,
      });
    }
    const submitted = await review.submit(course.documentId, instructor, profile.documentId);
    if (!submitted.ok) {
      const failed = (submitted.checks ?? []).filter((c) => !c.passed).map((c) => `${c.id}: ${c.message}`);
      throw new Error(`review demo "${demo.slug}" did not pass its checks: ${failed.join('; ') || submitted.reason}`);
    }
    if (demo.state === 'draft') await review.withdraw(course.documentId, instructor);
    if (demo.state === 'changes_requested') {
      await review.requestChanges(course.documentId, editor!, 'Please add a chapter on common mistakes, and say in the summary who the course is for.');
    }
    if (demo.state === 'approved') await review.approve(course.documentId, editor!, 'Clear and well paced: approved.');
    written[demo.state] = (written[demo.state] ?? 0) + 1;
  }
  log(`review demo: ${JSON.stringify(written)}`);
  return written;
}
