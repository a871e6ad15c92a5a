/**
 * The shared kernel of the platform's plugins, imported as `@kp/platform`: contracts between
 * plugins and the typed neighbour lookup, the database toolkit, one HTTP error shape and shared
 * schemas, plugin configuration, routes with their schemas, events, and the UIDs more than one
 * plugin names. It imports no plugin. See README.md beside this file.
 */
export * from './contracts';
export * from './uids';
export * from './db';
export * from './http';
export * from './schemas';
export * from './config';
export * from './routes';
export * from './health';
export * from './metrics';
export * from './random';
export * from './money';
export * from './events';
export * from './broadcast';
export * from './neighbours';
export * from './redis';
export * from './rate-limit';
export * from './broadcast-transports';
export * from './scale-out';
