import type { ProvidedServices } from '@kp/platform';
import type { Core } from '@strapi/strapi';
import courseIndex from './course-index';
import health from './health';
import interactions from './interactions';
import recommendations from './recommendations';

// `interactions` is what other plugins call (the recommender's contract in the kernel): the build
// fails when its implementation drifts from it. The other services are this plugin's own.
export default { 'course-index': courseIndex, health, interactions, recommendations } satisfies ProvidedServices<'recommender'> &
  Record<string, (deps: { strapi: Core.Strapi }) => unknown>;
