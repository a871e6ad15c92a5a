import { healthController } from '@kp/platform';

/** `GET /api/cache/health`: the kernel's health route, answered by this plugin's `health` service. */
export default healthController('cache');
