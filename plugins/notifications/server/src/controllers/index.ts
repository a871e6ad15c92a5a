import health from './health';
import outbox from './outbox';
import profile from './profile';

export default { health, outbox, profile };
