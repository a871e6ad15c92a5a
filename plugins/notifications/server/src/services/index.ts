import account from './account';
import accountData from './account-data';
import health from './health';
import messages from './messages';
import outbox from './outbox';
import profile from './profile';
import recipients from './recipients';
import worker from './worker';

export default { account, 'account-data': accountData, health, messages, outbox, profile, recipients, worker };
