/**
 * Table and column names for the few hand-written queries on the read path, taken from Strapi's
 * own database metadata rather than spelled by hand, so that a renamed attribute or a shortened
 * identifier cannot silently break the gate.
 */
import type { Core } from '@strapi/strapi';
import { ENTITLEMENT_UID } from '../content-types';

export const CHAPTER_UID = 'api::chapter.chapter';
export const COURSE_UID = 'api::course.course';
export const INSTRUCTOR_UID = 'api::instructor.instructor';
export const PLAN_UID = 'api::plan.plan';
export const FILE_UID = 'plugin::upload.file';
export const USER_UID = 'plugin::users-permissions.user';

export interface JoinNames {
  table: string;
  /** Column pointing at the owning side's row. */
  from: string;
  /** Column pointing at the target's row. */
  to: string;
}

interface AttributeMeta {
  columnName?: string;
  joinTable?: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
  morphColumn?: unknown;
}
interface ModelMeta {
  tableName: string;
  attributes: Record<string, AttributeMeta>;
}

export interface SchemaNames {
  entitlement: {
    table: string;
    col: (attr: string) => string;
    user: JoinNames;
    course: JoinNames;
    plan: JoinNames;
  };
  user: { table: string };
  chapter: { table: string; col: (attr: string) => string; course: JoinNames; video: string; attachments: string };
  course: { table: string; col: (attr: string) => string; instructor: JoinNames };
  instructor: { user: JoinNames };
  plan: { table: string; col: (attr: string) => string; courses: JoinNames };
  file: { table: string; col: (attr: string) => string; related: { table: string; file: string; id: string; type: string; field: string } };
}

function model(strapi: Core.Strapi, uid: string): ModelMeta {
  const meta = strapi.db.metadata.get(uid) as unknown as ModelMeta | undefined;
  if (!meta) throw new Error(`paywall: no database metadata for ${uid}`);
  return meta;
}

function columnOf(meta: ModelMeta, attr: string): string {
  const a = meta.attributes[attr];
  if (!a) throw new Error(`paywall: ${meta.tableName} has no attribute "${attr}"`);
  return a.columnName ?? attr;
}

function joinOf(meta: ModelMeta, attr: string): JoinNames {
  const jt = meta.attributes[attr]?.joinTable;
  if (!jt) throw new Error(`paywall: ${meta.tableName}.${attr} is not a relation with a join table`);
  return { table: jt.name, from: jt.joinColumn.name, to: jt.inverseJoinColumn.name };
}

const cache = new WeakMap<Core.Strapi, SchemaNames>();

/** Names resolved once per Strapi instance (they depend on the schema only, never on data). */
export function schemaNames(strapi: Core.Strapi): SchemaNames {
  const hit = cache.get(strapi);
  if (hit) return hit;
  const ent = model(strapi, ENTITLEMENT_UID);
  const chapter = model(strapi, CHAPTER_UID);
  const course = model(strapi, COURSE_UID);
  const instructor = model(strapi, INSTRUCTOR_UID);
  const plan = model(strapi, PLAN_UID);
  const file = model(strapi, FILE_UID);
  const related = file.attributes.related?.joinTable as unknown as
    | { name: string; joinColumn: { name: string }; morphColumn: { idColumn: { name: string }; typeColumn: { name: string } } }
    | undefined;
  if (!related) throw new Error('paywall: upload file metadata has no `related` morph table');
  const names: SchemaNames = {
    entitlement: {
      table: ent.tableName,
      col: (a) => columnOf(ent, a),
      user: joinOf(ent, 'user'),
      course: joinOf(ent, 'course'),
      plan: joinOf(ent, 'plan'),
    },
    user: { table: model(strapi, USER_UID).tableName },
    chapter: {
      table: chapter.tableName,
      col: (a) => columnOf(chapter, a),
      course: joinOf(chapter, 'course'),
      video: 'video',
      attachments: 'attachments',
    },
    course: { table: course.tableName, col: (a) => columnOf(course, a), instructor: joinOf(course, 'instructor') },
    instructor: { user: joinOf(instructor, 'user') },
    plan: { table: plan.tableName, col: (a) => columnOf(plan, a), courses: joinOf(plan, 'courses') },
    file: {
      table: file.tableName,
      col: (a) => columnOf(file, a),
      related: {
        table: related.name,
        file: related.joinColumn.name,
        id: related.morphColumn.idColumn.name,
        type: related.morphColumn.typeColumn.name,
        field: 'field',
      },
    },
  };
  cache.set(strapi, names);
  return names;
}
