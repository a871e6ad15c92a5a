import { COURSE_UID, isDocumentWrite } from '@kp/platform';
import type { Core } from '@strapi/strapi';
import { getService } from './utils';

/** Admin-panel actions (RBAC) for the index page and its rebuild button. */
const ADMIN_ACTIONS = [
  { section: 'plugins', displayName: 'Read the recommendation index status', uid: 'index.read', pluginName: 'recommender' },
  { section: 'plugins', displayName: 'Rebuild the recommendation index', uid: 'index.rebuild', pluginName: 'recommender' },
];

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(ADMIN_ACTIONS);

  // Keeps the index of every instance current on publish, unpublish, edit and delete, whoever
  // writes (REST, admin panel, the review plugin): after any write a course's published versions
  // may differ. After the write committed the course's documentId is broadcast
  // (`recommender.courses`); every instance, this one included, re-reads it in the background: a
  // re-index must never fail or slow down the write itself.
  strapi.documents.use(async (ctx, next) => {
    const result = await next();
    if (ctx.uid !== COURSE_UID || !isDocumentWrite(ctx.action)) return result;
    try {
      const params = ctx.params as { documentId?: unknown } | undefined;
      const fromResult = (result as { documentId?: unknown } | null | undefined)?.documentId;
      const documentId = typeof params?.documentId === 'string' ? params.documentId : typeof fromResult === 'string' ? fromResult : null;
      if (documentId) {
        const sync = () => getService(strapi, 'course-index').announceWrite(documentId);
        if (strapi.db.inTransaction()) {
          // Inside a caller's transaction: after its commit (nothing to do on rollback).
          await strapi.db.transaction(async ({ onCommit }) => onCommit(sync));
        } else sync();
      }
    } catch (error) {
      strapi.log.error(`recommender: could not schedule re-indexing: ${error instanceof Error ? error.message : String(error)}`);
    }
    return result;
  });
};
