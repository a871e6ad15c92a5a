/**
 * The cache plugin's one route: the kernel's health route (the catalogue store and the database).
 */
import { contentApiRoutes, healthRoute } from '@kp/platform';

export const health = healthRoute('Whether the catalogue cache and its store are up');

export default contentApiRoutes('cache', [health]);
