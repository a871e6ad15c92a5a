import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyProgressReport,
  courseProgress,
  nextChapter,
  progressKey,
  requiredChapters,
  type ChapterProgress,
  type ChapterRef,
} from './progress';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

/** Chapters a..e at positions 1..5; `opt` lists the optional ones. */
function chapters(ids: string, opt = ''): ChapterRef[] {
  return ids.split('').map((id, i) => ({ documentId: id, position: i + 1, optional: opt.includes(id) }));
}

describe('courseProgress: percentage and completion rule', () => {
  const many = Array.from({ length: 200 }, (_, i) => ({ documentId: `c${i}`, position: i + 1, optional: false }));
  const table: Array<{ name: string; chapters: ChapterRef[]; done: string | ReadonlySet<string>; percentage: number; complete: boolean; required: number }> = [
    { name: 'nothing done', chapters: chapters('abcd'), done: '', percentage: 0, complete: false, required: 4 },
    { name: 'one of four', chapters: chapters('abcd'), done: 'a', percentage: 25, complete: false, required: 4 },
    { name: 'two of three floors to 66, never rounds up', chapters: chapters('abc'), done: 'ab', percentage: 66, complete: false, required: 3 },
    { name: 'all done', chapters: chapters('abc'), done: 'abc', percentage: 100, complete: true, required: 3 },
    { name: 'optional chapters do not count', chapters: chapters('abcd', 'cd'), done: 'ab', percentage: 100, complete: true, required: 2 },
    { name: 'an optional chapter done does not raise the percentage', chapters: chapters('abcd', 'd'), done: 'd', percentage: 0, complete: false, required: 3 },
    { name: 'all optional: every chapter counts', chapters: chapters('ab', 'ab'), done: 'a', percentage: 50, complete: false, required: 2 },
    { name: 'all optional, all done', chapters: chapters('ab', 'ab'), done: 'ab', percentage: 100, complete: true, required: 2 },
    { name: 'no chapters is never complete', chapters: [], done: '', percentage: 0, complete: false, required: 0 },
    { name: 'progress on a chapter no longer in the course is ignored', chapters: chapters('ab'), done: 'az', percentage: 50, complete: false, required: 2 },
    {
      name: 'a chapter listed once per locale counts once',
      chapters: [...chapters('ab'), ...chapters('ab')],
      done: 'a',
      percentage: 50,
      complete: false,
      required: 2,
    },
    {
      name: '199 of 200 shows 99, not 100',
      chapters: many,
      done: new Set(many.slice(0, 199).map((c) => c.documentId)),
      percentage: 99,
      complete: false,
      required: 200,
    },
  ];
  for (const row of table) {
    test(row.name, () => {
      const done = typeof row.done === 'string' ? new Set(row.done.split('').filter(Boolean)) : row.done;
      const result = courseProgress(row.chapters, done);
      assert.equal(result.percentage, row.percentage);
      assert.equal(result.complete, row.complete);
      assert.equal(result.required, row.required);
    });
  }

  test('requiredChapters keeps only non-optional ones when there are some', () => {
    assert.deepEqual(requiredChapters(chapters('abc', 'b')).map((c) => c.documentId), ['a', 'c']);
  });
});

describe('nextChapter: continue learning', () => {
  const p = (completed: boolean, minutes: number): ChapterProgress => ({
    completedAt: completed ? at(minutes) : null,
    position: null,
    updatedAt: at(minutes),
  });
  const table: Array<{ name: string; chapters: ChapterRef[]; progress: Record<string, ChapterProgress>; next: string | null }> = [
    { name: 'no progress: the first chapter', chapters: chapters('abc'), progress: {}, next: 'a' },
    { name: 'no chapters: none', chapters: [], progress: {}, next: null },
    { name: 'resume the chapter touched last when not completed', chapters: chapters('abcd'), progress: { a: p(true, 1), c: p(false, 5) }, next: 'c' },
    { name: 'the next one after the last completed', chapters: chapters('abcd'), progress: { a: p(true, 1), b: p(true, 2) }, next: 'c' },
    { name: 'skips completed chapters after the last one', chapters: chapters('abcd'), progress: { c: p(true, 1), b: p(true, 2) }, next: 'd' },
    { name: 'order by position, not by input order', chapters: [...chapters('abc')].reverse(), progress: { a: p(true, 1) }, next: 'b' },
    { name: 'optional chapters are offered in reading order', chapters: chapters('abc', 'b'), progress: { a: p(true, 1) }, next: 'b' },
    { name: 'wraps to the first uncompleted required chapter', chapters: chapters('abcd', 'b'), progress: { d: p(true, 3), c: p(true, 1) }, next: 'a' },
    { name: 'wraps to an uncompleted optional one when all required are done', chapters: chapters('abc', 'b'), progress: { a: p(true, 1), c: p(true, 2) }, next: 'b' },
    { name: 'everything completed: none', chapters: chapters('ab'), progress: { a: p(true, 1), b: p(true, 2) }, next: null },
    { name: 'progress on unknown chapters only: the first chapter', chapters: chapters('ab'), progress: { z: p(true, 1) }, next: 'a' },
  ];
  for (const row of table) {
    test(row.name, () => {
      const next = nextChapter(row.chapters, new Map(Object.entries(row.progress)));
      assert.equal(next?.documentId ?? null, row.next);
    });
  }
});

describe('applyProgressReport: idempotent transitions', () => {
  const done = at(-60);
  const table: Array<{
    name: string;
    current: { completedAt: Date | null; position: number | null } | null;
    report: { completed?: boolean; position?: number };
    completedAt: Date | null;
    position: number | null;
    changed: boolean;
    becameCompleted: boolean;
  }> = [
    { name: 'first completion', current: null, report: { completed: true }, completedAt: NOW, position: null, changed: true, becameCompleted: true },
    { name: 'first report, not completed', current: null, report: { completed: false, position: 30 }, completedAt: null, position: 30, changed: true, becameCompleted: false },
    { name: 'un-completing a chapter never opened stores nothing', current: null, report: { completed: false }, completedAt: null, position: null, changed: false, becameCompleted: false },
    { name: 'repeat completion keeps the first date', current: { completedAt: done, position: null }, report: { completed: true }, completedAt: done, position: null, changed: false, becameCompleted: false },
    { name: 'clear completion', current: { completedAt: done, position: 5 }, report: { completed: false }, completedAt: null, position: 5, changed: true, becameCompleted: false },
    { name: 'clearing twice changes nothing', current: { completedAt: null, position: 5 }, report: { completed: false }, completedAt: null, position: 5, changed: false, becameCompleted: false },
    { name: 'position only leaves completion alone', current: { completedAt: done, position: 5 }, report: { position: 9 }, completedAt: done, position: 9, changed: true, becameCompleted: false },
    { name: 'same position changes nothing', current: { completedAt: null, position: 9 }, report: { position: 9 }, completedAt: null, position: 9, changed: false, becameCompleted: false },
    { name: 'position 0 is a position', current: { completedAt: null, position: 9 }, report: { position: 0 }, completedAt: null, position: 0, changed: true, becameCompleted: false },
    { name: 'complete after clearing is a new completion', current: { completedAt: null, position: null }, report: { completed: true }, completedAt: NOW, position: null, changed: true, becameCompleted: true },
  ];
  for (const row of table) {
    test(row.name, () => {
      const t = applyProgressReport(row.current, row.report, NOW);
      assert.deepEqual(
        { completedAt: t.completedAt, position: t.position, changed: t.changed, becameCompleted: t.becameCompleted },
        { completedAt: row.completedAt, position: row.position, changed: row.changed, becameCompleted: row.becameCompleted }
      );
    });
  }

  test('progressKey folds the pair the unique index holds', () => {
    assert.equal(progressKey(42, 'abc123'), '42:abc123');
  });
});
