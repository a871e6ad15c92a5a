/** UIDs as constants: the one place that spells them. */
export const PROGRESS_UID = 'api::progress.progress' as const;
export const CERTIFICATE_UID = 'plugin::learning.certificate' as const;
export const CHAPTER_UID = 'api::chapter.chapter' as const;
export const COURSE_UID = 'api::course.course' as const;
export const USER_UID = 'plugin::users-permissions.user' as const;
