/**
 * What a committed database write makes stale (pure). Conservative by design: a write to any
 * catalogue type, to a file, to a locale, to the public role's permissions (any permission) or to
 * the i18n default locale drops the whole catalogue namespace; a write to one user drops that
 * user's principal, and a write to roles, permissions or users-permissions' advanced settings
 * drops every principal.
 */

export const CATALOGUE_MODELS = [
  'api::course.course',
  'api::chapter.chapter',
  'api::instructor.instructor',
  'api::tag.tag',
  'api::category.category',
  'api::plan.plan',
  // A cover, an avatar or a chapter file renamed, replaced or deleted changes what responses embed.
  'plugin::upload.file',
  'plugin::i18n.locale',
  // A review's stars, reply or visibility changes the course's `rating` (community): dropped with
  // the write's commit, before its author is answered (the `community.rating` event comes later).
  'plugin::community.review',
] as const;

export const USER_MODEL = 'plugin::users-permissions.user';
export const ROLE_MODEL = 'plugin::users-permissions.role';
export const PERMISSION_MODEL = 'plugin::users-permissions.permission';
export const CORE_STORE_MODEL = 'strapi::core-store';

/** core-store keys whose change matters: users-permissions' advanced settings (e-mail confirmation), i18n's default locale. */
export const UP_ADVANCED_KEY = 'plugin_users-permissions_advanced';
export const I18N_DEFAULT_LOCALE_KEY = 'plugin_i18n_default_locale';

export const WATCHED_MODELS: readonly string[] = [...CATALOGUE_MODELS, USER_MODEL, ROLE_MODEL, PERMISSION_MODEL, CORE_STORE_MODEL];

export type WriteAction = 'afterCreate' | 'afterCreateMany' | 'afterUpdate' | 'afterUpdateMany' | 'afterDelete' | 'afterDeleteMany';
export const WRITE_ACTIONS: readonly WriteAction[] = ['afterCreate', 'afterCreateMany', 'afterUpdate', 'afterUpdateMany', 'afterDelete', 'afterDeleteMany'];

export interface WriteEvent {
  model: string;
  action: WriteAction;
  /** The row the write returned (single-row actions). */
  result?: unknown;
  /** The write's params (`where`, `data`). */
  params?: unknown;
}

export interface Stale {
  catalogue: boolean;
  /** `all`: every principal; otherwise these user ids. */
  principals: 'all' | number[];
}

const NOTHING: Stale = { catalogue: false, principals: [] };

function rowId(row: unknown): number | null {
  const id = row && typeof row === 'object' ? (row as { id?: unknown }).id : undefined;
  if (typeof id === 'number' && Number.isInteger(id)) return id;
  if (typeof id === 'string' && /^\d+$/.test(id)) return Number(id);
  return null;
}

/** The core-store key a write names (in its data, its where clause or its result). */
function storeKey(event: WriteEvent): string | null {
  for (const source of [event.result, (event.params as { data?: unknown } | undefined)?.data, (event.params as { where?: unknown } | undefined)?.where]) {
    const key = source && typeof source === 'object' ? (source as { key?: unknown }).key : undefined;
    if (typeof key === 'string') return key;
  }
  return null;
}

export function staleAfter(event: WriteEvent): Stale {
  const { model, action } = event;
  if ((CATALOGUE_MODELS as readonly string[]).includes(model)) return { catalogue: true, principals: [] };
  if (model === USER_MODEL) {
    // A new account is in no cache; a changed or deleted one is dropped (blocked, role, password…).
    if (action === 'afterCreate' || action === 'afterCreateMany') return NOTHING;
    if (action === 'afterUpdate' || action === 'afterDelete') {
      const id = rowId(event.result) ?? rowId((event.params as { where?: unknown } | undefined)?.where);
      return { catalogue: false, principals: id === null ? 'all' : [id] };
    }
    return { catalogue: false, principals: 'all' };
  }
  // Roles and permissions: every principal's ability, and the public role's permissions decide
  // what an anonymous caller may read at all.
  if (model === ROLE_MODEL || model === PERMISSION_MODEL) return { catalogue: true, principals: 'all' };
  if (model === CORE_STORE_MODEL) {
    const key = storeKey(event);
    // A store write that names no key could be either: drop both.
    if (key === null) return { catalogue: true, principals: 'all' };
    if (key === UP_ADVANCED_KEY) return { catalogue: false, principals: 'all' };
    if (key === I18N_DEFAULT_LOCALE_KEY) return { catalogue: true, principals: [] };
    return NOTHING;
  }
  return NOTHING;
}

/** Two stale sets as one. */
export function mergeStale(a: Stale, b: Stale): Stale {
  const principals = a.principals === 'all' || b.principals === 'all' ? 'all' : [...new Set([...a.principals, ...b.principals])];
  return { catalogue: a.catalogue || b.catalogue, principals };
}

export function isNothing(s: Stale): boolean {
  return !s.catalogue && s.principals !== 'all' && s.principals.length === 0;
}
