import outboxMessage from './outbox-message';
import profile from './profile';

export const OUTBOX_UID = 'plugin::notifications.outbox-message' as const;
export const PROFILE_UID = 'plugin::notifications.profile' as const;

export default { 'outbox-message': outboxMessage, profile };
