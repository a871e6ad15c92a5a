/**
 * The analytics plugin's contract: its vocabulary (range presets, granularities) and the shapes of
 * its answers, read by its admin UI (pages and homepage widgets) and by instructors' frontends.
 * Money is in minor units and always per currency: no figure here sums two currencies.
 */

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Ranges relative to today in the report's time zone; `custom` takes `from`/`to` (local dates, inclusive). */
export const RANGE_PRESETS = ['7d', '30d', '90d', '12m', 'mtd', 'last-month', 'ytd', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** The period a report covers: local dates in `timeZone`, and the UTC instants they map to. */
export interface AnalyticsPeriod {
  timeZone: string;
  granularity: Granularity;
  /** First local day, `YYYY-MM-DD`. */
  fromDay: string;
  /** Last local day (inclusive), `YYYY-MM-DD`. */
  toDay: string;
  /** UTC instant of local midnight starting `fromDay` (inclusive). */
  from: string;
  /** UTC instant of local midnight after `toDay` (exclusive). */
  to: string;
  /** Bucket keys in order: `YYYY-MM-DD` (day, week: its Monday) or `YYYY-MM` (month). */
  buckets: string[];
}

/** Money figures of one currency (minor units). `net = gross − refunds − disputes`. */
export interface MoneyFigures {
  currency: string;
  gross: number;
  refunds: number;
  disputes: number;
  net: number;
  /** Sales: orders paid in the period. */
  orders: number;
  /** gross / orders, rounded to the minor unit; null without orders. */
  averageOrderValue: number | null;
}

export interface SalesPoint extends MoneyFigures {
  bucket: string;
}

export interface CourseSales extends MoneyFigures {
  courseDocumentId: string;
  title: string | null;
}

export interface SubscriptionFigures {
  /** Subscriptions created in the period. */
  new: number;
  /** Subscriptions canceled in the period. */
  canceled: number;
  /** Subscriptions live when the period started. */
  activeAtStart: number;
  /** canceled / activeAtStart (0..1, 4 decimals); null when none was live at the start. */
  churnRate: number | null;
  /** Live now (active or past_due). */
  activeNow: number;
  /** Monthly recurring revenue of the live subscriptions per currency (yearly plans count price / 12). */
  mrr: Array<{ currency: string; mrr: number }>;
}

export interface SalesReport {
  period: AnalyticsPeriod;
  totals: MoneyFigures[];
  /** The same length of time immediately before, for comparison. */
  previous: { fromDay: string; toDay: string; totals: MoneyFigures[] };
  series: SalesPoint[];
  byCourse: CourseSales[];
  subscriptions: SubscriptionFigures;
}

/** Checkout sessions started in the period, and what became of them. */
export interface FunnelFigures {
  started: number;
  /** The customer finished Stripe Checkout (paid, or a payment that later failed). */
  completed: number;
  paid: number;
  /** Of those paid, refunded in full or in part (at any time). */
  refunded: number;
  /** Sessions that expired unpaid: abandonment. */
  expired: number;
  failed: number;
  /** Still open. */
  pending: number;
  /** paid / started (0..1, 4 decimals); null without sessions. */
  successRate: number | null;
  /** expired / started; null without sessions. */
  abandonmentRate: number | null;
}

export interface FunnelReport {
  period: AnalyticsPeriod;
  totals: FunnelFigures;
  series: Array<FunnelFigures & { bucket: string }>;
  byCurrency: Array<FunnelFigures & { currency: string }>;
  byCourse: Array<FunnelFigures & { courseDocumentId: string; title: string | null }>;
  /** Failed orders by the last Stripe event that touched them. */
  failureReasons: Array<{ reason: string; count: number }>;
}

export interface LearningFigures {
  /** Access granted in the period (purchase, subscription or grant). */
  enrolments: number;
  /** Learners who opened their first chapter of a course in the period. */
  started: number;
  /** Courses completed in the period (completion certificates by completion date). */
  completed: number;
  /** Certificates issued in the period that still stand. */
  certificates: number;
}

export interface ChapterReach {
  chapterDocumentId: string;
  title: string | null;
  position: number;
  /** Learners with progress on this chapter in the period. */
  learners: number;
}

export interface LearningReport {
  period: AnalyticsPeriod;
  totals: LearningFigures & { medianDaysToComplete: number | null };
  series: Array<LearningFigures & { bucket: string }>;
  byCourse: Array<LearningFigures & { courseDocumentId: string; title: string | null }>;
  /** Drop-off of one course (the `course` filter, else the course with most learners); null without progress. */
  dropOff: { courseDocumentId: string; title: string | null; chapters: ChapterReach[] } | null;
}

export interface ReviewQueueFigures {
  waiting: number;
  /** When the longest-waiting submission was submitted. */
  oldestWaitingSince: string | null;
  /** Median hours from submission to decision, over decisions in the period. */
  medianHoursToDecision: number | null;
}

export interface ReviewReport {
  period: AnalyticsPeriod;
  queue: ReviewQueueFigures;
  totals: { submissions: number; approvals: number; changesRequested: number };
  series: Array<{ bucket: string; submissions: number; approvals: number; changesRequested: number }>;
  byInstructor: Array<{
    instructorDocumentId: string | null;
    name: string | null;
    submissions: number;
    approvals: number;
    changesRequested: number;
    medianHoursInReview: number | null;
  }>;
}

/** The figures of the admin homepage widgets. */
export interface OverviewReport {
  period: AnalyticsPeriod;
  previous: { fromDay: string; toDay: string };
  revenue: Array<{ currency: string; net: number; previousNet: number }>;
  paidOrders: { current: number; previous: number };
  subscriptions: { active: number; mrr: Array<{ currency: string; mrr: number }> };
  conversion: { started: number; paid: number; successRate: number | null };
  reviewQueue: ReviewQueueFigures;
  learning: { enrolments: number; completed: number };
}

/** `GET /api/analytics/me/sales`: an instructor's own courses. */
export interface InstructorSalesReport {
  period: AnalyticsPeriod;
  totals: MoneyFigures[];
  series: SalesPoint[];
  byCourse: CourseSales[];
}

/** `GET /api/analytics/me/learning`: an instructor's own courses. */
export type InstructorLearningReport = LearningReport;

export interface AnalyticsEnvelope<T> {
  data: T;
}

// ---- Behaviour (issue 19): the admin Behaviour routes' answers -------------------------------

export interface BehaviourMeasured {
  auc: number | null;
  precisionAt10pct: number | null;
}

/** A stored model record without its serialised model. */
export interface BehaviourModelSummary {
  kind: 'churn' | 'propensity';
  version: number;
  trainedAt: string;
  horizonDays: number;
  window: { cutoff: string; labelsTo: string; heldOutCutoff: string; fitCutoff: string };
  features: string[];
  metrics: {
    chosen: BehaviourMeasured & { name: 'decisionTree' | 'logisticRegression' };
    candidates: { decisionTree: BehaviourMeasured; logisticRegression: BehaviourMeasured };
    baselines: { recency: BehaviourMeasured; frequency: BehaviourMeasured };
    learners: number;
    positives: number;
    heldOut: { learners: number; positives: number };
  };
  modelType: 'decisionTree' | 'logisticRegression' | 'constant';
}

/** `GET /analytics/behaviour/status` (and the 202 of `POST /analytics/behaviour/retrain`). */
export interface BehaviourStatus {
  training: { state: 'idle' | 'running' | 'succeeded' | 'failed'; step: string | null; progress: number; startedAt: string | null; finishedAt: string | null; error: string | null };
  /** the latest slot of the scheduled training claimed by an instance (one instance trains per slot) */
  schedule: { slot: string; by: string; claimedAt: string } | null;
  models: { churn: BehaviourModelSummary | null; propensity: BehaviourModelSummary | null };
  segments: { version: number; trainedAt: string; learners: number; k: number } | null;
}

/** `GET /analytics/behaviour/at-risk`. */
export interface BehaviourAtRisk {
  model: BehaviourModelSummary | null;
  learners: Array<{ userId: number; username: string; score: number; reason: string; segment: string | null; recencyDays: number; completion: number }>;
}

/** `GET /analytics/behaviour/segments`. */
export interface BehaviourSegments {
  version: number | null;
  trainedAt: string | null;
  learners: number;
  features: string[];
  segments: Array<{ id: number; name: string; size: number; share: number; current: number; defining: Array<{ feature: string; z: number; direction: 'high' | 'low'; mean: number }>; means: number[] }>;
}

export interface BehaviourRate {
  key: string;
  sessions: number;
  paid: number;
  rate: number | null;
}

/** `GET /analytics/behaviour/checkout-success`. */
export interface BehaviourCheckoutSuccess {
  days: number;
  overall: BehaviourRate;
  open: number;
  by: { course: BehaviourRate[]; currency: BehaviourRate[]; priceBand: BehaviourRate[]; buyer: BehaviourRate[] };
  openSessions: Array<{ orderId: number | null; course: string; currency: string; priceBand: string; buyer: string; probability: number | null }>;
}
