import type { Core } from '@strapi/strapi';
import health from './health';
import entitlements from './entitlements';
import access from './access';
import media from './media';
import privateStorage from './private-storage';
import { createMediaLinks } from './media-links';

export default {
  health,
  entitlements,
  access,
  media,
  'private-storage': privateStorage,
  'media-links': ({ strapi }: { strapi: Core.Strapi }) => createMediaLinks(strapi),
};
