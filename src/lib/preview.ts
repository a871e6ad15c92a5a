/**
 * Strapi 5's Preview (Content Manager → "Open preview") shows a course or a chapter on the
 * storefront this app serves at `/`. The storefront reads published content only, so a document
 * without a published version in that locale has no preview (the handler answers nothing, and the
 * Content Manager says so) rather than a storefront "not found".
 */
import type { Core } from '@strapi/strapi';

export type PreviewTarget = { kind: 'course'; slug: string } | { kind: 'chapter'; courseSlug: string; documentId: string };

/** The storefront address of a course or chapter in a locale (pure). */
export function storefrontPath(target: PreviewTarget, locale: string | null, defaultLocale: string): string {
  const lang = locale && locale !== defaultLocale ? `?lang=${encodeURIComponent(locale)}` : '';
  const route =
    target.kind === 'course'
      ? `/course/${encodeURIComponent(target.slug)}`
      : `/course/${encodeURIComponent(target.courseSlug)}/chapter/${encodeURIComponent(target.documentId)}`;
  return `/${lang}#${route}`;
}

/** The preview handler for `config/admin.ts`: the storefront path, or undefined when nothing is published. */
export async function previewUrl(
  strapi: Core.Strapi,
  uid: string,
  params: { documentId?: string; locale?: string | null }
): Promise<string | undefined> {
  if (!params.documentId) return undefined;
  const defaultLocale = ((await strapi.plugin('i18n')?.service('locales').getDefaultLocale()) as string | undefined) ?? 'en';
  const locale = params.locale ?? defaultLocale;
  const published = { documentId: params.documentId, locale, publishedAt: { $notNull: true } };
  if (uid === 'api::course.course') {
    const row = (await strapi.db.query(uid).findOne({ where: published, select: ['slug'] })) as { slug: string | null } | null;
    return row?.slug ? storefrontPath({ kind: 'course', slug: row.slug }, locale, defaultLocale) : undefined;
  }
  if (uid === 'api::chapter.chapter') {
    const row = (await strapi.db.query(uid).findOne({ where: published, select: ['documentId'], populate: { course: { select: ['slug'] } } })) as {
      documentId: string;
      course?: { slug: string | null } | null;
    } | null;
    return row?.course?.slug ? storefrontPath({ kind: 'chapter', courseSlug: row.course.slug, documentId: row.documentId }, locale, defaultLocale) : undefined;
  }
  return undefined;
}
