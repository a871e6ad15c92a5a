import health from './health';
import progress from './progress';
import certificates from './certificates';

export default { health, progress, certificates };
