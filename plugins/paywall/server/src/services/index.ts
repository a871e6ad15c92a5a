import type { Core } from '@strapi/strapi';
import type { ProvidedServices } from '@kp/platform';
import health from './health';
import entitlements from './entitlements';
import access from './access';
import media from './media';
import privateStorage from './private-storage';
import { createMediaLinks } from './media-links';

// `entitlements` and `access` are what other plugins call (the paywall's contract in the kernel):
// the build fails when their implementation drifts from it. The other services are this plugin's own.
export default {
  health,
  entitlements,
  access,
  media,
  'private-storage': privateStorage,
  'media-links': ({ strapi }: { strapi: Core.Strapi }) => createMediaLinks(strapi),
} satisfies ProvidedServices<'paywall'> & Record<string, (deps: { strapi: Core.Strapi }) => unknown>;
