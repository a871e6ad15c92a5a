import interaction from './interaction';

/** This plugin's own type; the catalogue's UIDs come from the kernel. */
export const INTERACTION_UID = 'plugin::recommender.interaction' as const;

export default { interaction };
