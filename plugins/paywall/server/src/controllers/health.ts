import { healthController } from '@kp/platform';

/** `GET /api/paywall/health`: the kernel's health route, answered by this plugin's `health` service. */
export default healthController('paywall');
