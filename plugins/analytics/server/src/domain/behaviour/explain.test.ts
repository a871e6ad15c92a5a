import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCondition, describeRange, explainContributions, explainPath, type PathStep } from './explain';
import type { AnyFeatureName as FeatureName } from './features';

describe('describeCondition: thresholds between whole days read as whole days', () => {
  const table: Array<[FeatureName, '<' | '>=', number, string]> = [
    ['recencyDays', '>=', 20.5, 'no activity for 21+ days'],
    ['recencyDays', '<', 13.5, 'active within the last 14 days'],
    ['recencyDays', '<', 0.5, 'active within the last 1 day'],
    ['frequency', '<', 2.5, 'fewer than 3 interactions'],
    ['frequency', '>=', 2.5, '3+ interactions'],
    ['distinctItems', '>=', 4.5, '5+ distinct items'],
    ['activeDays', '<', 1.5, 'active on fewer than 2 days'],
    ['daysSinceFirst', '>=', 89.5, 'first seen 90+ days ago'],
    ['last7Days', '<', 0.5, 'no interactions in the last 7 days'],
    ['last30Days', '<', 3.5, 'fewer than 4 interactions in the last 30 days'],
    ['last30Days', '>=', 0.5, '1+ interactions in the last 30 days'],
    ['meanGapDays', '>=', 6.25, 'mean gap of 6.3+ days'],
    ['spendUsd', '>=', 49.995, 'spent $50+ (USD)'],
    ['spendUsd', '<', 10, 'spent under $10 (USD)'],
    ['progressVelocity', '<', 0.125, 'no chapter completed in the last 4 weeks'],
    ['progressVelocity', '>=', 1.125, '1.1+ chapters a week (last 4 weeks)'],
    ['progressVelocity', '<', 0.625, 'under 0.6 chapters a week (last 4 weeks)'],
    ['coursesUnfinished', '<', 0.5, 'no unfinished course'],
    ['coursesUnfinished', '>=', 1.5, '2+ courses started and not finished'],
    ['coursesUnfinished', '<', 2.5, 'fewer than 3 courses started and not finished'],
    ['subscriptionActive', '>=', 0.5, 'subscription active'],
    ['subscriptionActive', '<', 0.5, 'no active subscription'],
    ['subscriptionTrialing', '>=', 0.5, 'in a free trial'],
    ['subscriptionPastDue', '>=', 0.5, 'subscription payment past due'],
    ['subscriptionCanceled', '>=', 0.5, 'subscription ended'],
    ['subscriptionDays', '>=', 29.5, 'subscribed 30+ days ago'],
    ['subscriptionDays', '<', 6.5, 'subscribed under 7 days ago (or never)'],
    ['localeZhHans', '>=', 0.5, 'prefers Chinese (zh-Hans)'],
    ['localeZhHans', '<', 0.5, 'prefers English or no language set'],
    ['viewEvents', '>=', 9.5, '10+ views'],
    ['viewEvents', '<', 0.5, 'no views'],
    ['likeEvents', '>=', 0.5, '1+ like'],
    ['completeEvents', '<', 2.5, 'fewer than 3 course completions'],
    ['refundEvents', '>=', 0.5, '1+ refund'],
    ['rateEvents', '>=', 1.5, '2+ ratings'],
  ];
  for (const [f, op, t, want] of table) test(`${f} ${op} ${t}`, () => assert.equal(describeCondition(f, op, t), want));
});

describe('explainPath: the tightest bound per feature, joined with "and"', () => {
  const table: Array<{ steps: PathStep[]; want: string }> = [
    { steps: [], want: 'all learners (the tree has no split)' },
    {
      steps: [
        { feature: 'recencyDays', op: '>=', threshold: 20.5 },
        { feature: 'frequency', op: '<', threshold: 2.5 },
      ],
      want: 'no activity for 21+ days and fewer than 3 interactions',
    },
    {
      steps: [
        { feature: 'recencyDays', op: '>=', threshold: 6.5 },
        { feature: 'frequency', op: '<', threshold: 4.5 },
        { feature: 'recencyDays', op: '>=', threshold: 29.5 },
      ],
      want: 'no activity for 30+ days and fewer than 5 interactions',
    },
    {
      steps: [
        { feature: 'recencyDays', op: '>=', threshold: 6.5 },
        { feature: 'recencyDays', op: '<', threshold: 29.5 },
      ],
      want: 'no activity for 7–29 days',
    },
    {
      steps: [
        { feature: 'frequency', op: '<', threshold: 1.5 },
        { feature: 'meanGapDays', op: '<', threshold: 5.8 },
        { feature: 'meanGapDays', op: '>=', threshold: 4.2 },
        { feature: 'recencyDays', op: '>=', threshold: 3.5 },
        { feature: 'recencyDays', op: '<', threshold: 4.5 },
      ],
      want: 'fewer than 2 interactions and mean gap of 4.2–5.8 days and no activity for 4 days',
    },
  ];
  for (const row of table) test(row.want, () => assert.equal(explainPath(row.steps), row.want));
});

describe('explainContributions: the largest by size, signed', () => {
  test('top 2 of 3', () => {
    const s = explainContributions(
      [
        { feature: 'frequency', value: 1, contribution: -0.4 },
        { feature: 'recencyDays', value: 35, contribution: -1.823 },
        { feature: 'last30Days', value: 0, contribution: 0.1 },
      ],
      2,
    );
    assert.equal(s, 'days since last activity 35 (−1.82); interactions 1 (−0.40)');
  });
});

describe('describeRange', () => {
  const table: Array<[FeatureName, number, number, string]> = [
    ['frequency', 1.5, 4.5, '2–4 interactions'],
    ['activeDays', 2.5, 3.5, 'active on 3 days'],
    ['last30Days', 0.5, 2.5, '1–2 interactions in the last 30 days'],
    ['daysSinceFirst', 29.5, 89.5, 'first seen 30–89 days ago'],
    ['spendUsd', 9.995, 49.995, 'spent $10–$50 (USD)'],
    ['viewEvents', 2.5, 5.5, '3–5 views'],
    ['coursesUnfinished', 0.5, 2.5, '1–2 courses started and not finished'],
    ['progressVelocity', 0.125, 1.125, '0.1–1.1 chapters a week (last 4 weeks)'],
    ['subscriptionDays', 6.5, 29.5, 'subscribed 7–29 days ago'],
    ['subscriptionActive', 0.5, 0.5, 'subscription active'],
  ];
  for (const [f, lo, hi, want] of table) test(want, () => assert.equal(describeRange(f, lo, hi), want));
});
