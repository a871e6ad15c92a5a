import type { Core } from '@strapi/strapi';
import health from './health';
import entitlements from './entitlements';
import access from './access';
import media from './media';
import { createMediaLinks } from './media-links';

export default {
  health,
  entitlements,
  access,
  media,
  'media-links': ({ strapi }: { strapi: Core.Strapi }) => createMediaLinks(strapi),
};
