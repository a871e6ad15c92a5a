export const PLUGIN_ID = 'analytics';

export const ORDER_UID = 'plugin::checkout.order';
export const ENTITLEMENT_UID = 'plugin::paywall.entitlement';
export const CERTIFICATE_UID = 'plugin::learning.certificate';
export const SUBMISSION_UID = 'plugin::review.submission';
export const REVIEW_EVENT_UID = 'plugin::review.review-event';

/** Admin RBAC actions, one per Analytics page (and the homepage widgets). */
export const ADMIN_ACTIONS = {
  overview: 'plugin::analytics.overview.read',
  sales: 'plugin::analytics.sales.read',
  funnel: 'plugin::analytics.funnel.read',
  learning: 'plugin::analytics.learning.read',
  review: 'plugin::analytics.review.read',
  behaviour: 'plugin::analytics.behaviour.read',
  behaviourTrain: 'plugin::analytics.behaviour.train',
} as const;

/** Subscriptions that bring revenue: counted as live and in MRR. */
export const LIVE_SUBSCRIPTION_STATUSES = ['active', 'past_due'] as const;
