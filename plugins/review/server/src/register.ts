import type { Core } from '@strapi/strapi';
import { useDocumentMiddleware } from '@kp/platform';
import { getService } from './utils';
import { contentManagerPublishMiddleware } from './services/content-manager-publish';

/** Admin RBAC actions: a super admin grants them to the roles that review (e.g. Editor, not Author). */
const ACTIONS = [
  { section: 'plugins', displayName: 'Read the review queue and history', uid: 'read', pluginName: 'review' },
  { section: 'plugins', displayName: 'Approve (publishes the course)', uid: 'approve', pluginName: 'review' },
  { section: 'plugins', displayName: 'Request changes', uid: 'request-changes', pluginName: 'review' },
  { section: 'plugins', displayName: 'Assign a submission to oneself', uid: 'assign', pluginName: 'review' },
];

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // Instructor writes to courses and chapters, whatever route they come through.
  useDocumentMiddleware(strapi, getService(strapi, 'authoring').middleware());
  // A course published from the Content Manager while in review is approved, not skipped past.
  useDocumentMiddleware(strapi, contentManagerPublishMiddleware(strapi));
  await strapi.service('admin::permission').actionProvider.registerMany(ACTIONS);
};
