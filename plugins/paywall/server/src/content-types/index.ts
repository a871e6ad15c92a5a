import entitlement from './entitlement';

/** UIDs as constants: the one place that spells them. */
export const ENTITLEMENT_UID = 'plugin::paywall.entitlement' as const;

export default { entitlement };
