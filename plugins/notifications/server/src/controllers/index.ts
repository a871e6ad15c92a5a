import health from './health';
import me from './me';
import outbox from './outbox';
import profile from './profile';

export default { health, me, outbox, profile };
