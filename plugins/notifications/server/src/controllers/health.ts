import { healthController } from '@kp/platform';

/** `GET /api/notifications/health`: the kernel's health route, answered by this plugin's `health` service. */
export default healthController('notifications');
