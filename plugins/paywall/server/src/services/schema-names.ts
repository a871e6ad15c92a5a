/**
 * Table and column names for the few hand-written queries on the read path, grouped the way the
 * gate's queries use them. Every name comes from the kernel's metadata helpers (`modelNames`,
 * `fileMorphNames`), which read Strapi's own database metadata: a renamed attribute or a
 * shortened identifier cannot silently break the gate.
 */
import type { Core } from '@strapi/strapi';
import { CHAPTER_UID, COURSE_UID, FILE_UID, INSTRUCTOR_UID, PLAN_UID, USER_UID, fileMorphNames, modelNames, type JoinNames, type MorphNames } from '@kp/platform';
import { ENTITLEMENT_UID } from '../content-types';

export { CHAPTER_UID, COURSE_UID, FILE_UID, INSTRUCTOR_UID, PLAN_UID, USER_UID };

export interface SchemaNames {
  entitlement: { table: string; col: (attr: string) => string; user: JoinNames; course: JoinNames; plan: JoinNames };
  user: { table: string };
  chapter: { table: string; col: (attr: string) => string; course: JoinNames; video: string; attachments: string };
  course: { table: string; col: (attr: string) => string; instructor: JoinNames };
  instructor: { user: JoinNames };
  plan: { table: string; col: (attr: string) => string; courses: JoinNames };
  file: { table: string; col: (attr: string) => string; related: MorphNames };
}

const cache = new WeakMap<Core.Strapi, SchemaNames>();

/** Names resolved once per Strapi instance (they depend on the schema only, never on data). */
export function schemaNames(strapi: Core.Strapi): SchemaNames {
  const hit = cache.get(strapi);
  if (hit) return hit;
  const ent = modelNames(strapi, ENTITLEMENT_UID);
  const chapter = modelNames(strapi, CHAPTER_UID);
  const course = modelNames(strapi, COURSE_UID);
  const plan = modelNames(strapi, PLAN_UID);
  const file = modelNames(strapi, FILE_UID);
  const names: SchemaNames = {
    entitlement: { table: ent.table, col: ent.col, user: ent.join('user'), course: ent.join('course'), plan: ent.join('plan') },
    user: { table: modelNames(strapi, USER_UID).table },
    chapter: { table: chapter.table, col: chapter.col, course: chapter.join('course'), video: 'video', attachments: 'attachments' },
    course: { table: course.table, col: course.col, instructor: course.join('instructor') },
    instructor: { user: modelNames(strapi, INSTRUCTOR_UID).join('user') },
    plan: { table: plan.table, col: plan.col, courses: plan.join('courses') },
    file: { table: file.table, col: file.col, related: fileMorphNames(strapi) },
  };
  cache.set(strapi, names);
  return names;
}
