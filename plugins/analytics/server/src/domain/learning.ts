/**
 * The learning report's counts from one grouped answer per measure: SQL groups each measure
 * (enrolments, starts, completions, certificates) by bucket × course once, and the series, the
 * courses and the totals are sums of those cells — the same figures as three GROUP BYs each, at
 * a third of the scans.
 */
import type { LearningFigures } from '@kp/platform';

export const LEARNING_FIELDS = ['enrolments', 'started', 'completed', 'certificates'] as const;
export type LearningField = (typeof LEARNING_FIELDS)[number];

/** One aggregate row: a measure's count in one bucket (null: outside the period) for one course (null: none). */
export interface LearningCell {
  field: LearningField;
  bucket: string | null;
  course: string | null;
  n: number;
}

export interface LearningFold {
  series: Map<string, LearningFigures>;
  byCourse: Map<string, LearningFigures>;
  totals: LearningFigures;
}

export const emptyLearning = (): LearningFigures => ({ enrolments: 0, started: 0, completed: 0, certificates: 0 });

/** Series (cells with a bucket), courses (cells with a course) and totals (every cell in the period). */
export function foldLearning(cells: readonly LearningCell[]): LearningFold {
  const series = new Map<string, LearningFigures>();
  const byCourse = new Map<string, LearningFigures>();
  const totals = emptyLearning();
  const add = (map: Map<string, LearningFigures>, key: string, cell: LearningCell) => {
    let acc = map.get(key);
    if (!acc) map.set(key, (acc = emptyLearning()));
    acc[cell.field] += cell.n;
  };
  for (const cell of cells) {
    if (cell.bucket === null) continue;
    add(series, cell.bucket, cell);
    if (cell.course !== null) add(byCourse, cell.course, cell);
    totals[cell.field] += cell.n;
  }
  return { series, byCourse, totals };
}
