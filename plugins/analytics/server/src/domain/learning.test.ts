import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLearning, type LearningCell } from './learning';

const cell = (field: LearningCell['field'], bucket: string | null, course: string | null, n: number): LearningCell => ({ field, bucket, course, n });

test('foldLearning: series, courses and totals are sums of the bucket × course cells', () => {
  const rows = [
    cell('enrolments', '2026-03-02', 'a', 2),
    cell('enrolments', '2026-03-02', 'b', 1),
    cell('enrolments', '2026-03-09', 'a', 3),
    cell('started', '2026-03-09', 'b', 4),
    cell('completed', '2026-03-02', 'a', 1),
    cell('certificates', '2026-03-09', 'a', 1),
  ];
  const f = foldLearning(rows);
  assert.deepEqual(Object.fromEntries(f.series), {
    '2026-03-02': { enrolments: 3, started: 0, completed: 1, certificates: 0 },
    '2026-03-09': { enrolments: 3, started: 4, completed: 0, certificates: 1 },
  });
  assert.deepEqual(Object.fromEntries(f.byCourse), {
    a: { enrolments: 5, started: 0, completed: 1, certificates: 1 },
    b: { enrolments: 1, started: 4, completed: 0, certificates: 0 },
  });
  assert.deepEqual(f.totals, { enrolments: 6, started: 4, completed: 1, certificates: 1 });
});

test('foldLearning: a cell without a course counts in the series and totals, not in the courses; one outside the period nowhere', () => {
  const f = foldLearning([cell('enrolments', '2026-03-02', null, 2), cell('enrolments', null, 'a', 5), cell('enrolments', '2026-03-02', 'a', 1)]);
  assert.deepEqual(f.totals, { enrolments: 3, started: 0, completed: 0, certificates: 0 });
  assert.deepEqual(Object.fromEntries(f.series), { '2026-03-02': { enrolments: 3, started: 0, completed: 0, certificates: 0 } });
  assert.deepEqual(Object.fromEntries(f.byCourse), { a: { enrolments: 1, started: 0, completed: 0, certificates: 0 } });
});

test('foldLearning: no cells, zero totals and empty maps', () => {
  const f = foldLearning([]);
  assert.equal(f.series.size, 0);
  assert.equal(f.byCourse.size, 0);
  assert.deepEqual(f.totals, { enrolments: 0, started: 0, completed: 0, certificates: 0 });
});
