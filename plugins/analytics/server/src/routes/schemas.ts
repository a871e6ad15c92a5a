/** Request and response schemas of the analytics routes (zod): validation, OpenAPI and the contract's shapes. */
import { z } from 'zod';
import { dataOf, documentIdSchema } from '@kp/platform';
import { GRANULARITIES, RANGE_PRESETS } from '@kp/platform';

const day = z
  .string({ error: 'must be a date (YYYY-MM-DD)' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-03-31')
  .meta({ description: 'A calendar day in the report’s time zone', example: '2026-03-01' });

const rangeFields = {
  preset: z.enum(RANGE_PRESETS, { error: `must be one of ${RANGE_PRESETS.join(', ')}` }).optional().meta({ description: 'Range relative to today; `custom` with from and to' }),
  from: day.optional(),
  to: day.optional().meta({ description: 'Last day of the range (inclusive)', example: '2026-03-31' }),
  granularity: z.enum(GRANULARITIES, { error: `must be one of ${GRANULARITIES.join(', ')}` }).default('day'),
  timeZone: z
    .string()
    .max(64)
    .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, 'must be an IANA time zone such as Europe/Berlin')
    .optional()
    .meta({ description: 'IANA zone of the buckets (default ANALYTICS_TIME_ZONE)', example: 'America/New_York' }),
};

const rangeRule = <T extends { preset?: string; from?: string; to?: string }>(q: T, ctx: z.RefinementCtx) => {
  const custom = q.preset === 'custom' || (q.preset === undefined && (q.from !== undefined || q.to !== undefined));
  if (custom && (q.from === undefined || q.to === undefined)) ctx.addIssue({ code: 'custom', message: 'a custom range needs both from and to', path: [q.from === undefined ? 'from' : 'to'] });
  if (!custom && q.preset !== undefined && (q.from !== undefined || q.to !== undefined)) ctx.addIssue({ code: 'custom', message: 'from/to go with preset=custom only', path: ['preset'] });
};

const currency = z.string().regex(/^[a-z]{3}$/, 'must be a lower-case ISO currency code such as usd').optional();

export const adminReportQuery = z
  .object({
    ...rangeFields,
    currency,
    course: documentIdSchema.optional(),
    category: documentIdSchema.optional(),
    instructor: documentIdSchema.optional(),
  })
  .strict()
  .superRefine(rangeRule);

export const instructorReportQuery = z
  .object({ ...rangeFields, currency, course: documentIdSchema.optional().meta({ description: 'One of the caller’s own courses' }) })
  .strict()
  .superRefine(rangeRule);

export type ReportQuery = z.output<typeof adminReportQuery>;

const period = z.object({
  timeZone: z.string(),
  granularity: z.enum(GRANULARITIES),
  fromDay: z.string(),
  toDay: z.string(),
  from: z.string(),
  to: z.string(),
  buckets: z.array(z.string()),
});

const money = {
  currency: z.string(),
  gross: z.number().int(),
  refunds: z.number().int(),
  disputes: z.number().int(),
  net: z.number().int(),
  orders: z.number().int(),
  averageOrderValue: z.number().int().nullable(),
};
const moneyFigures = z.object(money);
const courseRef = { courseDocumentId: z.string(), title: z.string().nullable() };
const ratio = z.number().min(0).max(1).nullable();
const mrr = z.array(z.object({ currency: z.string(), mrr: z.number().int() }));

const subscriptions = z.object({
  new: z.number().int(),
  canceled: z.number().int(),
  activeAtStart: z.number().int(),
  churnRate: ratio,
  activeNow: z.number().int(),
  mrr,
});

export const salesResponse = dataOf(
  z.object({
    period,
    totals: z.array(moneyFigures),
    previous: z.object({ fromDay: z.string(), toDay: z.string(), totals: z.array(moneyFigures) }),
    series: z.array(z.object({ bucket: z.string(), ...money })),
    byCourse: z.array(z.object({ ...courseRef, ...money })),
    subscriptions,
  })
);

const funnel = {
  started: z.number().int(),
  completed: z.number().int(),
  paid: z.number().int(),
  refunded: z.number().int(),
  expired: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  successRate: ratio,
  abandonmentRate: ratio,
};

export const funnelResponse = dataOf(
  z.object({
    period,
    totals: z.object(funnel),
    series: z.array(z.object({ bucket: z.string(), ...funnel })),
    byCurrency: z.array(z.object({ currency: z.string(), ...funnel })),
    byCourse: z.array(z.object({ ...courseRef, ...funnel })),
    failureReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  })
);

const learning = { enrolments: z.number().int(), started: z.number().int(), completed: z.number().int(), certificates: z.number().int() };

export const learningResponse = dataOf(
  z.object({
    period,
    totals: z.object({ ...learning, medianDaysToComplete: z.number().nullable() }),
    series: z.array(z.object({ bucket: z.string(), ...learning })),
    byCourse: z.array(z.object({ ...courseRef, ...learning })),
    dropOff: z
      .object({
        ...courseRef,
        chapters: z.array(z.object({ chapterDocumentId: z.string(), title: z.string().nullable(), position: z.number().int(), learners: z.number().int() })),
      })
      .nullable(),
  })
);

const queue = z.object({ waiting: z.number().int(), oldestWaitingSince: z.string().nullable(), medianHoursToDecision: z.number().nullable() });
const reviewCounts = { submissions: z.number().int(), approvals: z.number().int(), changesRequested: z.number().int() };

export const reviewResponse = dataOf(
  z.object({
    period,
    queue,
    totals: z.object(reviewCounts),
    series: z.array(z.object({ bucket: z.string(), ...reviewCounts })),
    byInstructor: z.array(z.object({ instructorDocumentId: z.string().nullable(), name: z.string().nullable(), ...reviewCounts, medianHoursInReview: z.number().nullable() })),
  })
);

export const overviewResponse = dataOf(
  z.object({
    period,
    previous: z.object({ fromDay: z.string(), toDay: z.string() }),
    revenue: z.array(z.object({ currency: z.string(), net: z.number().int(), previousNet: z.number().int() })),
    paidOrders: z.object({ current: z.number().int(), previous: z.number().int() }),
    subscriptions: z.object({ active: z.number().int(), mrr }),
    conversion: z.object({ started: z.number().int(), paid: z.number().int(), successRate: ratio }),
    reviewQueue: queue,
    learning: z.object({ enrolments: z.number().int(), completed: z.number().int() }),
  })
);

export const instructorSalesResponse = dataOf(
  z.object({
    period,
    totals: z.array(moneyFigures),
    series: z.array(z.object({ bucket: z.string(), ...money })),
    byCourse: z.array(z.object({ ...courseRef, ...money })),
  })
);

export const instructorLearningResponse = learningResponse;

// ---- Behaviour (issue 19) -------------------------------------------------------------------

const limit = (max: number, fallback: number) =>
  z.coerce.number({ error: `must be a whole number from 1 to ${max}` }).int(`must be a whole number from 1 to ${max}`).min(1, `must be at least 1`).max(max, `must be at most ${max}`).default(fallback);

export const behaviourListQuery = z.object({ limit: limit(1000, 100).meta({ description: 'Most learners listed', example: 50 }) }).strict();
export const behaviourBuyersQuery = z
  .object({ course: documentIdSchema.optional().meta({ description: 'One course; without it, up to 20 courses' }), limit: limit(200, 20).meta({ description: 'Most learners per course' }) })
  .strict();
export const behaviourCheckoutQuery = z.object({ days: limit(3660, 365).meta({ description: 'Sessions started in the last n days', example: 90 }) }).strict();
export const instructorAtRiskQuery = z.object({ limit: limit(500, 100).meta({ description: 'Most learners listed' }) }).strict();

const measured = z.object({ auc: z.number().nullable(), precisionAt10pct: z.number().nullable() });
const modelSummary = z
  .object({
    kind: z.enum(['churn', 'propensity']),
    version: z.number().int(),
    trainedAt: z.string(),
    horizonDays: z.number().int(),
    window: z.object({ cutoff: z.string(), labelsTo: z.string(), heldOutCutoff: z.string(), fitCutoff: z.string() }),
    features: z.array(z.string()),
    metrics: z.object({
      chosen: measured.extend({ name: z.enum(['decisionTree', 'logisticRegression']) }),
      candidates: z.object({ decisionTree: measured, logisticRegression: measured }),
      baselines: z.object({ recency: measured, frequency: measured }),
      learners: z.number().int(),
      positives: z.number().int(),
      heldOut: z.object({ learners: z.number().int(), positives: z.number().int() }),
    }),
    modelType: z.enum(['decisionTree', 'logisticRegression', 'constant']),
  })
  .nullable()
  .meta({ description: 'The model record that answered (null before the first training)' });

const training = z.object({
  state: z.enum(['idle', 'running', 'succeeded', 'failed']),
  step: z.string().nullable(),
  progress: z.number().min(0).max(1),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});

export const behaviourStatusResponse = dataOf(
  z.object({
    training,
    models: z.object({ churn: modelSummary, propensity: modelSummary }),
    segments: z.object({ version: z.number().int(), trainedAt: z.string(), learners: z.number().int(), k: z.number().int() }).nullable(),
  })
);

export const behaviourAtRiskResponse = dataOf(
  z.object({
    model: modelSummary,
    learners: z.array(
      z.object({
        userId: z.number().int(),
        username: z.string(),
        score: z.number().meta({ description: 'Churn risk, 0–1' }),
        reason: z.string().meta({ example: 'no activity for 14+ days and completion < 30%' }),
        segment: z.string().nullable(),
        recencyDays: z.number(),
        completion: z.number(),
      })
    ),
  })
);

export const behaviourBuyersResponse = dataOf(
  z.object({
    model: modelSummary,
    courses: z.array(
      z.object({
        courseDocumentId: z.string(),
        title: z.string().nullable(),
        buyers: z.array(z.object({ userId: z.number().int(), username: z.string(), score: z.number(), reason: z.string() })),
      })
    ),
  })
);

const definingFeature = z.object({ feature: z.string(), z: z.number(), direction: z.enum(['high', 'low']), mean: z.number() });
export const behaviourSegmentsResponse = dataOf(
  z.object({
    version: z.number().int().nullable(),
    trainedAt: z.string().nullable(),
    learners: z.number().int(),
    features: z.array(z.string()),
    segments: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        size: z.number().int().meta({ description: 'Learners at training time' }),
        share: z.number(),
        current: z.number().int().meta({ description: 'Learners in it now (nearest centroid)' }),
        defining: z.array(definingFeature),
        means: z.array(z.number()),
      })
    ),
  })
);

const rate = z.object({ key: z.string(), sessions: z.number().int(), paid: z.number().int(), rate: z.number().nullable() });
export const behaviourCheckoutResponse = dataOf(
  z.object({
    days: z.number().int(),
    overall: rate,
    open: z.number().int(),
    by: z.object({ course: z.array(rate), currency: z.array(rate), priceBand: z.array(rate), buyer: z.array(rate) }),
    openSessions: z.array(
      z.object({ orderId: z.number().int().nullable(), course: z.string(), currency: z.string(), priceBand: z.string(), buyer: z.string(), probability: z.number().nullable() })
    ),
  })
);

export const instructorAtRiskResponse = dataOf(
  z.object({
    model: z.object({ version: z.number().int(), trainedAt: z.string() }).nullable(),
    learners: z.array(
      z.object({
        username: z.string(),
        courseDocumentId: z.string(),
        courseTitle: z.string().nullable(),
        chaptersStarted: z.number().int(),
        chaptersCompleted: z.number().int(),
        completion: z.number(),
        risk: z.number(),
        reason: z.string(),
      })
    ),
  })
);
