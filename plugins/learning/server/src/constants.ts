/** This plugin's own type. The catalogue's and Strapi's UIDs come from `@kp/platform`. */
export const CERTIFICATE_UID = 'plugin::learning.certificate' as const;
