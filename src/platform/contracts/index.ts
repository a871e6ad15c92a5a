/**
 * Contracts between plugins, one file per providing plugin. Browser-safe (types and constant
 * lists only): the admin UIs import them as `@kp/platform/contracts`, the servers through
 * `@kp/platform`.
 */
export * from './paywall';
export * from './recommender';
export * from './review';
export * from './checkout';
export * from './learning';
export * from './community';
export * from './notifications';
export * from './events';
export * from './analytics';
export * from './broadcast';
