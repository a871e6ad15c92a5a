import type { Core } from '@strapi/strapi';

export type RoleType = 'public' | 'authenticated' | 'instructor';

const PERMISSION_UID = 'plugin::users-permissions.permission';
const ROLE_UID = 'plugin::users-permissions.role';
const STORE_KEY = 'granted-permissions';

const CATALOGUE_READ = [
  'api::course.course.find',
  'api::course.course.findOne',
  'api::chapter.chapter.find',
  'api::chapter.chapter.findOne',
  'api::instructor.instructor.find',
  'api::instructor.instructor.findOne',
  'api::tag.tag.find',
  'api::tag.tag.findOne',
  'api::category.category.find',
  'api::category.category.findOne',
  'api::plan.plan.find',
  'api::plan.plan.findOne',
];

/**
 * The permissions the platform grants to each users-permissions role. Each local plugin declares
 * what its routes need in its config (`rolePermissions: { public: [...], authenticated: [...] }`);
 * the app owns the roles and applies everything in bootstrap.
 */
const wanted: Record<RoleType, Set<string>> = {
  public: new Set(CATALOGUE_READ),
  authenticated: new Set([...CATALOGUE_READ, 'plugin::users-permissions.user.me']),
  instructor: new Set([
    ...CATALOGUE_READ,
    'plugin::users-permissions.user.me',
    'plugin::users-permissions.auth.changePassword',
    // Covers, videos and attachments for their own courses.
    'plugin::upload.content-api.upload',
  ]),
};

export const PLATFORM_PLUGINS = ['paywall', 'checkout', 'review', 'recommender', 'learning'];

/** Every action a role should have: the catalogue's plus what each platform plugin declares. */
export function wantedPermissions(strapi: Core.Strapi, role: RoleType): string[] {
  const all = new Set(wanted[role]);
  for (const name of PLATFORM_PLUGINS) {
    if (!strapi.plugin(name)) continue;
    const declared = strapi.plugin(name).config('rolePermissions') as
      | Partial<Record<RoleType, string[]>>
      | undefined;
    for (const action of declared?.[role] ?? []) all.add(action);
  }
  return [...all].sort();
}

const ROLE_DEFINITIONS: Record<RoleType, { name: string; description: string }> = {
  public: { name: 'Public', description: 'Default role given to unauthenticated user.' },
  authenticated: { name: 'Authenticated', description: 'Learners: every registered user.' },
  instructor: {
    name: 'Instructor',
    description: 'Writes their own courses and chapters as drafts and submits them for review.',
  },
};

/**
 * Creates the instructor role when missing and grants each role the actions it was never given
 * before. What was granted is remembered in the core store, so an action an editor later removes
 * in the admin panel is not granted again on the next restart: bootstrap adds, it never resets.
 */
export async function ensureRolesAndPermissions(strapi: Core.Strapi): Promise<void> {
  const store = strapi.store({ type: 'core', name: 'platform' });
  const granted = ((await store.get({ key: STORE_KEY })) as Record<string, string[]> | null) ?? {};

  for (const type of Object.keys(wanted) as RoleType[]) {
    let role = await strapi.db.query(ROLE_UID).findOne({ where: { type } });
    if (!role) {
      role = await strapi.db.query(ROLE_UID).create({ data: { type, ...ROLE_DEFINITIONS[type] } });
    }
    const already = new Set(granted[type] ?? []);
    const missing = wantedPermissions(strapi, type).filter((a) => !already.has(a));
    if (missing.length === 0) continue;
    const existing = await strapi.db.query(PERMISSION_UID).findMany({
      where: { role: role.id, action: { $in: missing } },
      select: ['action'],
    });
    const present = new Set(existing.map((p: { action: string }) => p.action));
    for (const action of missing) {
      if (!present.has(action)) {
        await strapi.db.query(PERMISSION_UID).create({ data: { action, role: role.id } });
      }
    }
    granted[type] = [...already, ...missing].sort();
  }
  await store.set({ key: STORE_KEY, value: granted });
}
