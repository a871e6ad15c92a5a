import type { Core } from '@strapi/strapi';
import { COURSE_UID } from '@kp/platform';
import { getService, pluginConfig } from './utils';

/** Admin RBAC actions: a super admin grants them to the roles that moderate (e.g. Editor). */
const ACTIONS = [
  { section: 'plugins', displayName: 'Read reported and recent community posts, and the audit trail', uid: 'read', pluginName: 'community' },
  { section: 'plugins', displayName: 'Hide and restore posts, block and unblock authors', uid: 'moderate', pluginName: 'community' },
];

type OutputFn = (data: unknown, schema: { uid?: string } | undefined, ...rest: unknown[]) => Promise<unknown>;

/**
 * Every content-API course response gains `rating: { average, count, histogram }`: the output
 * sanitiser that every content-API controller calls (core ones included) is wrapped, as the
 * paywall wraps it for chapters, and its result — a course or a list of courses, already
 * sanitised — gets the ratings of all its courses from one indexed statement. Courses populated
 * inside other types' responses are left as they are.
 */
function decorateCourses(strapi: Core.Strapi): void {
  const sanitize = strapi.contentAPI.sanitize as unknown as { output?: OutputFn };
  const output = sanitize.output;
  if (!output) return;
  sanitize.output = async (data, schema, ...rest) => {
    const result = await output.call(sanitize, data, schema, ...rest);
    if (schema?.uid !== COURSE_UID || !result || typeof result !== 'object') return result;
    const entries = (Array.isArray(result) ? result : [result]).filter(
      (e): e is Record<string, unknown> => Boolean(e) && typeof e === 'object' && typeof (e as { documentId?: unknown }).documentId === 'string'
    );
    if (entries.length === 0) return result;
    const ratings = await getService(strapi, 'ratings').forCourses(entries.map((e) => e.documentId as string));
    for (const e of entries) e.rating = ratings.get(e.documentId as string);
    return result;
  };
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  if (pluginConfig(strapi, 'measurementOnlyNoRating')) {
    if (process.env.NODE_ENV === 'production') {
      throw new Error('community: COMMUNITY_MEASUREMENT_ONLY_NO_RATING is a benchmark switch (course responses without `rating`); it is refused when NODE_ENV=production. Unset it.');
    }
    strapi.log.warn('community: course responses carry no `rating` (COMMUNITY_MEASUREMENT_ONLY_NO_RATING=true). Never use this outside a benchmark.');
  } else {
    decorateCourses(strapi);
  }
  await strapi.service('admin::permission').actionProvider.registerMany(ACTIONS);
};
