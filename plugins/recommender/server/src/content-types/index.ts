import interaction from './interaction';

/** UIDs as constants: the one place that spells them. */
export const INTERACTION_UID = 'plugin::recommender.interaction' as const;
export const COURSE_UID = 'api::course.course' as const;

export default { interaction };
