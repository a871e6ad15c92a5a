import type { Core } from '@strapi/strapi';
import { createDocumentGuard } from './document-guard';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // Editors' writes on progress and certificates are checked wherever they come from.
  strapi.documents.use(createDocumentGuard(strapi) as unknown as Parameters<typeof strapi.documents.use>[0]);
};
