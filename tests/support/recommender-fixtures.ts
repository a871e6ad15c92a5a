/**
 * Fixtures for the recommender's integration suite: localized tags and categories, and a handle
 * on the plugin's services to wait until the index has caught up with a write.
 */
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

interface IndexService {
  settled(): Promise<void>;
  refreshStats(force?: boolean): Promise<void>;
  status(): { state: string; courses: number; phase: string };
}

interface InteractionsService {
  record(input: { userId: number; courseDocumentId: string; kind: string; weight?: number; at?: Date }): Promise<void>;
}

export function recommender(app: TestApp) {
  const plugin = app.strapi.plugin('recommender');
  return {
    index: plugin.service('course-index') as IndexService,
    interactions: plugin.service('interactions') as InteractionsService,
    /** Waits for re-indexing triggered by Document Service writes (it runs after the write). */
    async settled(): Promise<void> {
      // The middleware schedules the re-read on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      await (plugin.service('course-index') as IndexService).settled();
    },
  };
}
