import type { Core } from '@strapi/strapi';
import { useDocumentMiddleware } from '@kp/platform';
import { createDocumentGuard } from './document-guard';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // Editors' writes on progress and certificates are checked wherever they come from.
  useDocumentMiddleware(strapi, createDocumentGuard(strapi));
};
