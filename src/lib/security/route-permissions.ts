/**
 * The route-permission matrix: for every action of a content-API route of this app (the catalogue
 * types, users-permissions, upload, i18n, email, content-type-builder, every local plugin), which
 * users-permissions roles hold it. It is the one source of truth: bootstrap grants from it
 * (src/lib/permissions.ts), revokes what it marks `forbidden`, and the route inventory test
 * (tests/integration/security.test.ts) fails when a route of the booted app has no entry here, when
 * an entry names no route, or when a role holds anything else in the database.
 *
 * A new route ships only with an entry: which roles, or explicitly none, and why.
 */
export type RoleType = 'public' | 'authenticated' | 'instructor';

export const ROLES: readonly RoleType[] = ['public', 'authenticated', 'instructor'];

export interface RouteGrant {
  /** Roles that hold the action. Empty: no role. */
  roles: readonly RoleType[];
  /**
   * Never held by any other users-permissions role: bootstrap deletes it, on every boot, from any
   * role not listed in `roles` (an earlier version granted it, or someone did by hand).
   */
  forbidden?: true;
  /** The route is `auth: false`: anyone reaches it, no permission is involved. */
  open?: true;
  why: string;
}

const ALL: readonly RoleType[] = ROLES;
const USERS: readonly RoleType[] = ['authenticated', 'instructor'];
const INSTRUCTOR: readonly RoleType[] = ['instructor'];
const NONE: readonly RoleType[] = [];

const open = (why: string): RouteGrant => ({ roles: NONE, open: true, why });
const grant = (roles: readonly RoleType[], why: string): RouteGrant => ({ roles, why });
const never = (why: string, roles: readonly RoleType[] = NONE): RouteGrant => ({ roles, forbidden: true, why });

function catalogueType(uid: string, writes: RouteGrant): Record<string, RouteGrant> {
  return {
    [`${uid}.find`]: grant(ALL, 'the published catalogue is public (drafts refused by the draft guard, gated fields by the paywall)'),
    [`${uid}.findOne`]: grant(ALL, 'the published catalogue is public'),
    [`${uid}.create`]: writes,
    [`${uid}.update`]: writes,
    [`${uid}.delete`]: writes,
  };
}

function privateType(uid: string, why: string): Record<string, RouteGrant> {
  return Object.fromEntries(['find', 'findOne', 'create', 'update', 'delete'].map((a) => [`${uid}.${a}`, never(why)]));
}

const EDITORS_ONLY = never('written by editors in the admin panel only');
const AUTHORING = never(
  "instructors only: the review plugin's Document Service middleware forces drafts, sets the owner and refuses other instructors' documents",
  INSTRUCTOR
);

export const ROUTE_PERMISSIONS: Readonly<Record<string, RouteGrant>> = {
  // Catalogue
  ...catalogueType('api::course.course', AUTHORING),
  ...catalogueType('api::chapter.chapter', AUTHORING),
  ...catalogueType('api::instructor.instructor', EDITORS_ONLY),
  ...catalogueType('api::tag.tag', EDITORS_ONLY),
  ...catalogueType('api::category.category', EDITORS_ONLY),
  ...catalogueType('api::plan.plan', EDITORS_ONLY),
  ...privateType('api::subscription.subscription', "other users' subscriptions and Stripe ids: read through the checkout plugin, written by its webhook"),
  ...privateType('api::progress.progress', "other learners' progress: read and written through the learning plugin's own routes, which check the owner"),

  // users-permissions: accounts
  'plugin::users-permissions.auth.callback': grant(['public'], 'log in (POST /api/auth/local; OAuth callbacks when a provider is enabled)'),
  'plugin::users-permissions.auth.connect': grant(['public'], 'OAuth sign-in; every provider is disabled until an editor enables one (then 400 "This provider is disabled")'),
  'plugin::users-permissions.auth.register': grant(['public'], 'learners register themselves'),
  'plugin::users-permissions.auth.forgotPassword': grant(['public'], 'account recovery: same answer for every address (src/extensions/users-permissions)'),
  'plugin::users-permissions.auth.resetPassword': grant(['public'], 'account recovery with the mailed code'),
  'plugin::users-permissions.auth.emailConfirmation': grant(['public'], 'the link of a confirmation e-mail'),
  'plugin::users-permissions.auth.sendEmailConfirmation': grant(['public'], 'resend a confirmation e-mail: same answer for every address'),
  'plugin::users-permissions.auth.refresh': grant(['public'], "users-permissions' session mode only; 404 in the JWT mode this app uses"),
  'plugin::users-permissions.auth.changePassword': grant(USERS, 'a signed-in user changes their own password'),
  'plugin::users-permissions.auth.logout': grant(USERS, 'session mode only (404 here); their own sessions'),
  'plugin::users-permissions.auth.getSessions': grant(USERS, 'session mode only (404 here); their own sessions'),
  'plugin::users-permissions.auth.revokeSession': grant(USERS, 'session mode only (404 here); their own sessions'),
  'plugin::users-permissions.user.me': grant(USERS, 'the caller\'s own account'),
  'plugin::users-permissions.user.find': never('lists every account with its e-mail'),
  'plugin::users-permissions.user.findOne': never('reads any account'),
  'plugin::users-permissions.user.count': never('counts accounts (an oracle on the user base)'),
  'plugin::users-permissions.user.create': never('creates accounts with any role'),
  'plugin::users-permissions.user.update': never('edits any account, its role included'),
  'plugin::users-permissions.user.destroy': never('deletes any account'),
  'plugin::users-permissions.role.find': never('roles and their permissions are managed in the admin panel'),
  'plugin::users-permissions.role.findOne': never('roles and their permissions are managed in the admin panel'),
  'plugin::users-permissions.role.createRole': never('roles and their permissions are managed in the admin panel'),
  'plugin::users-permissions.role.updateRole': never('roles and their permissions are managed in the admin panel'),
  'plugin::users-permissions.role.deleteRole': never('roles and their permissions are managed in the admin panel'),
  'plugin::users-permissions.permissions.getPermissions': never('roles and their permissions are managed in the admin panel'),

  // Strapi's upload plugin: `POST /api/upload?id=` replaces any file, `ref/refId/field` links a
  // file to any entry, the reads list every file with its storage name (gated ones included).
  // Instructors upload through POST /api/review/media, which checks ownership.
  'plugin::upload.content-api.upload': never('replaces any file by id and links files to any entry, without ownership checks'),
  'plugin::upload.content-api.find': never('lists every file with its storage name, gated media included'),
  'plugin::upload.content-api.findPage': never('lists every file with its storage name, gated media included'),
  'plugin::upload.content-api.findOne': never('reads any file record with its storage name'),
  'plugin::upload.content-api.destroy': never('deletes any file'),

  // Other Strapi plugins
  'plugin::email.email.send': never('sends any e-mail from the platform\'s address (an open relay)'),
  'plugin::i18n.locales.listLocales': grant(NONE, 'not needed: clients know the two locales; editors see them in the admin panel'),
  'plugin::content-type-builder.content-types.getContentTypes': grant(NONE, 'the schema, private attributes included: admin panel only'),
  'plugin::content-type-builder.content-types.getContentType': grant(NONE, 'the schema, private attributes included: admin panel only'),
  'plugin::content-type-builder.components.getComponents': grant(NONE, 'the schema: admin panel only'),
  'plugin::content-type-builder.components.getComponent': grant(NONE, 'the schema: admin panel only'),

  // paywall
  'plugin::paywall.health.check': open('liveness of the plugin'),
  'plugin::paywall.media.show': grant(ALL, 'gated media after the access check (free and preview media for anyone)'),
  'plugin::paywall.access.course': grant(ALL, 'why a course is locked, for the caller'),
  'plugin::paywall.me.entitlements': grant(USERS, 'the caller\'s own access'),

  // checkout
  'plugin::checkout.health.check': open('liveness, and whether Stripe is configured'),
  'plugin::checkout.webhook.handle': open("Stripe's signed events: the signature over the raw body is the authentication"),
  'plugin::checkout.checkout.createSession': grant(USERS, 'buy a course or a plan (instructors buy too)'),
  'plugin::checkout.checkout.createPortal': grant(USERS, 'the caller\'s own Stripe customer portal'),
  'plugin::checkout.checkout.listOrders': grant(USERS, 'the caller\'s own orders'),
  'plugin::checkout.checkout.findOrder': grant(USERS, 'one of the caller\'s own orders'),
  'plugin::checkout.coupons.validate': grant(USERS, 'check a promotion code before checkout (the caller\'s price; nothing written but Stripe\'s redemption count)'),
  'plugin::checkout.commerce.listBundles': grant(ALL, 'the bundles on sale, with their published courses and price'),
  'plugin::checkout.commerce.claimGift': grant(USERS, 'claim a gift code for the caller\'s own account'),

  // review
  'plugin::review.health.check': open('liveness of the plugin'),
  'plugin::review.instructor.listCourses': grant(INSTRUCTOR, 'the instructor\'s own courses'),
  'plugin::review.instructor.getCourse': grant(INSTRUCTOR, 'one of the instructor\'s own courses, draft included'),
  'plugin::review.instructor.submit': grant(INSTRUCTOR, 'submit an own course for review'),
  'plugin::review.instructor.withdraw': grant(INSTRUCTOR, 'withdraw an own submission'),
  'plugin::review.instructor.history': grant(INSTRUCTOR, 'the review history of an own course'),
  'plugin::review.instructor.uploadMedia': grant(INSTRUCTOR, 'the only upload route for instructors: checks ownership, links to the draft only'),

  // recommender
  'plugin::recommender.health.check': open('liveness of the plugin'),
  'plugin::recommender.recommendations.find': grant(ALL, 'cold start for anyone, personal for learners'),
  'plugin::recommender.recommendations.similar': grant(ALL, 'similar published courses'),
  'plugin::recommender.events.create': grant(USERS, 'the caller\'s own view/like events (rate-limited)'),
  'plugin::recommender.events.likeState': grant(USERS, 'whether the caller likes a course (their own row only)'),
  'plugin::recommender.events.unlike': grant(USERS, 'the caller takes back their own like'),

  // learning
  'plugin::learning.health.check': open('liveness of the plugin'),
  'plugin::learning.progress.record': grant(USERS, 'the caller\'s own progress'),
  'plugin::learning.progress.me': grant(USERS, 'the caller\'s own progress'),
  'plugin::learning.progress.course': grant(USERS, 'the caller\'s own progress in a course'),
  'plugin::learning.certificates.me': grant(USERS, 'the caller\'s own certificates'),
  'plugin::learning.certificates.verify': grant(ALL, 'public verification: the unguessable code is the capability'),
  'plugin::learning.certificates.pdf': grant(ALL, 'public verification: the unguessable code is the capability'),
  // operations
  'plugin::operations.health.check': open('liveness of the plugin'),
  'plugin::operations.health.platform': open('dependency state of every plugin (no secrets, no hosts)'),
  // Analytics
  'plugin::analytics.health.check': open('liveness of the plugin'),
  'plugin::analytics.instructor.sales': grant(INSTRUCTOR, "the instructor's own courses' sales (resolved from the caller's profile, never an input)"),
  'plugin::analytics.instructor.learning': grant(INSTRUCTOR, "the instructor's own courses' learners"),
  'plugin::analytics.instructor.atRisk': grant(INSTRUCTOR, "at-risk learners of the instructor's own courses (username, progress, reason; no e-mail)"),

  // community
  'plugin::community.health.check': open('liveness of the plugin'),
  'plugin::community.ratings.courses': grant(ALL, 'the published catalogue ordered by rating'),
  'plugin::community.reviews.list': grant(ALL, 'visible reviews of a published course'),
  'plugin::community.questions.list': grant(ALL, 'visible questions; those on a chapter only for callers who can read it'),
  'plugin::community.questions.findOne': grant(ALL, 'one visible question, under the same chapter rule'),
  'plugin::community.reviews.mine': grant(USERS, 'the caller\'s own review and eligibility'),
  'plugin::community.reviews.create': grant(USERS, 'rate a course the caller can read and progressed in (checked in the service)'),
  'plugin::community.reviews.update': grant(USERS, 'the caller\'s own review only'),
  'plugin::community.reviews.remove': grant(USERS, 'the caller\'s own review only'),
  'plugin::community.reviews.reply': grant(USERS, 'the course\'s own instructor only (the paywall\'s instructor verdict, checked in the service)'),
  'plugin::community.questions.create': grant(USERS, 'ask on a course or chapter the caller can read'),
  'plugin::community.questions.answer': grant(USERS, 'answer where the caller can read, or as the course\'s instructor'),
  'plugin::community.questions.accept': grant(USERS, 'the asker or the course\'s instructor only'),
  'plugin::community.reports.create': grant(USERS, 'report a post the caller can see'),
  'plugin::community.me.posts': grant(USERS, 'the caller\'s own posts, hidden ones with the reason'),
  'plugin::community.questions.unanswered': grant(INSTRUCTOR, 'questions on the instructor\'s own courses'),

  // cache
  'plugin::cache.health.check': open('liveness of the plugin and of its catalogue store'),

  // notifications
  'plugin::notifications.health.check': open('liveness of the plugin'),
  'plugin::notifications.profile.me': grant(USERS, 'the caller\'s own profile'),
  'plugin::notifications.profile.update': grant(USERS, 'the caller\'s own profile'),
  'plugin::notifications.me.export': grant(USERS, 'the caller\'s own data'),
  'plugin::notifications.me.erase': grant(USERS, 'erase the caller\'s own account, confirmed by its password'),
};

/** Actions the matrix grants to `role`, sorted. */
export function grantedActions(role: RoleType): string[] {
  return Object.entries(ROUTE_PERMISSIONS)
    .filter(([, g]) => g.roles.includes(role))
    .map(([action]) => action)
    .sort();
}

/** Forbidden actions with the roles allowed to keep them. */
export function forbiddenActions(): Array<{ action: string; allowed: readonly RoleType[] }> {
  return Object.entries(ROUTE_PERMISSIONS)
    .filter(([, g]) => g.forbidden)
    .map(([action, g]) => ({ action, allowed: g.roles }));
}
