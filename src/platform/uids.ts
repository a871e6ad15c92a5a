import type { Core } from '@strapi/strapi';

/**
 * The UIDs that more than one plugin names: the catalogue's content types (owned by the app,
 * `src/api`) and Strapi's own. A plugin's own types stay in the plugin that owns them.
 */
export const COURSE_UID = 'api::course.course' as const;
export const CHAPTER_UID = 'api::chapter.chapter' as const;
export const INSTRUCTOR_UID = 'api::instructor.instructor' as const;
export const PLAN_UID = 'api::plan.plan' as const;
export const SUBSCRIPTION_UID = 'api::subscription.subscription' as const;
export const TAG_UID = 'api::tag.tag' as const;
export const CATEGORY_UID = 'api::category.category' as const;
export const PROGRESS_UID = 'api::progress.progress' as const;

export const USER_UID = 'plugin::users-permissions.user' as const;
export const ROLE_UID = 'plugin::users-permissions.role' as const;
export const PERMISSION_UID = 'plugin::users-permissions.permission' as const;
export const FILE_UID = 'plugin::upload.file' as const;
export const ADMIN_USER_UID = 'admin::user' as const;

/** The catalogue's content types, in the order a reader meets them. */
export const CATALOGUE_UIDS = [COURSE_UID, CHAPTER_UID, INSTRUCTOR_UID, TAG_UID, CATEGORY_UID, PLAN_UID] as const;
export type CatalogueUid = (typeof CATALOGUE_UIDS)[number];

/** Every Document Service action (`strapi.documents.use()` middlewares receive one of these). */
export const DOCUMENT_ACTIONS = [
  'findOne',
  'findFirst',
  'findMany',
  'count',
  'create',
  'update',
  'delete',
  'clone',
  'publish',
  'unpublish',
  'discardDraft',
] as const;
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number];

/** The Document Service actions that write. */
export const DOCUMENT_WRITE_ACTIONS = ['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft'] as const;
export type DocumentWriteAction = (typeof DOCUMENT_WRITE_ACTIONS)[number];

const WRITE_SET: ReadonlySet<string> = new Set(DOCUMENT_WRITE_ACTIONS);

/** Whether a Document Service action writes. */
export function isDocumentWrite(action: string): action is DocumentWriteAction {
  return WRITE_SET.has(action);
}

/** What a Document Service middleware receives (`strapi.documents.use(async (context, next) => …)`). */
export interface DocumentContext<P = Record<string, unknown>> {
  uid: string;
  action: DocumentAction | string;
  params: P;
}

/** A Document Service middleware, typed. */
export type DocumentMiddleware<P = Record<string, unknown>> = (context: DocumentContext<P>, next: () => Promise<unknown>) => Promise<unknown>;

/**
 * Registers a Document Service middleware. Strapi types a middleware's result as the document
 * union of every action; ours return what `next()` gave, so the one cast lives here.
 */
export function useDocumentMiddleware<P>(strapi: Core.Strapi, middleware: DocumentMiddleware<P>): void {
  strapi.documents.use(middleware as unknown as Parameters<Core.Strapi['documents']['use']>[0]);
}
