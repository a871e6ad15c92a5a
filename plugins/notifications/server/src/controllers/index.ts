import accounts from './accounts';
import health from './health';
import me from './me';
import outbox from './outbox';
import profile from './profile';

export default { accounts, health, me, outbox, profile };
