import health from './health';
import metrics from './metrics';

export default { health, metrics };
