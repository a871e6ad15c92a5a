/**
 * Fixtures for the recommender's integration suite: localized tags and categories, and a handle
 * on the plugin's services (typed by the recommender's contract and its own service factory) to
 * wait until the index has caught up with a write.
 */
import { requireNeighbour } from '@kp/platform';
import type courseIndex from '../../plugins/recommender/server/src/services/course-index';
import type { TestApp } from './strapi';

export interface Taxon {
  documentId: string;
  slug: string;
}

/** A tag with an English and (optionally) a Simplified Chinese name. */
export async function createTag(app: TestApp, slug: string, en: string, zh?: string): Promise<Taxon> {
  const tag = await app.strapi.documents('api::tag.tag').create({ locale: 'en', data: { name: en, slug } as never });
  if (zh) {
    await app.strapi.documents('api::tag.tag').update({ documentId: tag.documentId, locale: 'zh-Hans', data: { name: zh, slug } as never });
  }
  return { documentId: tag.documentId, slug };
}

/** A category with an English name. */
export async function createCategory(app: TestApp, slug: string, en: string): Promise<Taxon> {
  const category = await app.strapi.documents('api::category.category').create({ locale: 'en', data: { name: en, slug } as never });
  return { documentId: category.documentId, slug };
}

export function recommender(app: TestApp) {
  const index = app.strapi.plugin('recommender').service('course-index') as ReturnType<typeof courseIndex>;
  return {
    index,
    /** What checkout and learning call, as they see it. */
    interactions: requireNeighbour(app.strapi, 'recommender', 'recording interactions').interactions,
    /** Waits for re-indexing triggered by Document Service writes (it runs after the write). */
    async settled(): Promise<void> {
      // The middleware schedules the re-read on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      await index.settled();
    },
  };
}
