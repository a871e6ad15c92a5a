import { healthController } from '@kp/platform';

/** `GET /api/checkout/health`: the kernel's health route, answered by this plugin's `health` service. */
export default healthController('checkout');
