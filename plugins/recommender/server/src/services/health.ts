import type { Core } from '@strapi/strapi';
import { checkDatabase, pluginHealth, type DependencyCheck, type IndexStatus } from '@kp/platform';
import { getService } from '../utils';

/** The index as a health check: usable while a rebuild runs over a built one; degraded until the first build succeeds. */
export function indexCheck(status: IndexStatus): DependencyCheck {
  const built = status.finishedAt !== null && status.courses > 0;
  switch (status.state) {
    case 'ready':
      return { name: 'index', status: 'ok', detail: `${status.courses} courses, ${status.learners} learners` };
    case 'building':
      return built
        ? { name: 'index', status: 'ok', detail: `rebuilding (${Math.round(status.progress * 100)}%) over the previous index` }
        : { name: 'index', status: 'degraded', detail: `first build in progress (${Math.round(status.progress * 100)}%): popular courses are served` };
    case 'empty':
      return { name: 'index', status: 'degraded', detail: 'not built yet: popular courses are served' };
    case 'failed':
      return { name: 'index', status: 'degraded', detail: `the last build failed (${status.error ?? 'unknown error'})${built ? '; the previous index is served' : ''}` };
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  status() {
    const index = getService(strapi, 'course-index').status();
    return pluginHealth('recommender', [checkDatabase(strapi), indexCheck(index)]);
  },
});
