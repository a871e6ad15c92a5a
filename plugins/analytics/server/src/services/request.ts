/** A report request (validated query) resolved to the period and courses the reports read. */
import type { Core } from '@strapi/strapi';
import { assertNever, httpError } from '@kp/platform';
import { addDays, dayKey, localDayOf, resolvePeriod, type RangeInput } from '../domain/periods';
import type { ReportQuery } from '../routes/schemas';
import { pluginConfig } from '../utils';
import type { ReportInput } from './reports';
import scopeFactory from './scope';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const scope = scopeFactory({ strapi });

  function period(query: Pick<ReportQuery, 'preset' | 'from' | 'to' | 'granularity' | 'timeZone'>, now: Date) {
    const timeZone = query.timeZone ?? pluginConfig(strapi, 'timeZone');
    let range: RangeInput;
    if (query.from !== undefined && query.to !== undefined) range = { preset: 'custom', from: query.from, to: query.to };
    else if (query.preset && query.preset !== 'custom') range = { preset: query.preset };
    else {
      let today;
      try {
        today = localDayOf(now, timeZone);
      } catch {
        throw httpError(400, `Unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin).`, { reason: 'unknown-time-zone' });
      }
      range = { preset: 'custom', from: dayKey(addDays(today, -(pluginConfig(strapi, 'defaultDays') - 1))), to: dayKey(today) };
    }
    const decision = resolvePeriod(range, query.granularity, { now, timeZone, maxBuckets: pluginConfig(strapi, 'maxBuckets') });
    if (decision.ok) return decision.period;
    switch (decision.reason) {
      case 'unknown-time-zone':
      case 'bad-date':
      case 'from-after-to':
      case 'too-many-buckets':
        throw httpError(400, decision.message, { reason: decision.reason });
      default:
        return assertNever(decision.reason, 'period refusal');
    }
  }

  /** An editor's request: any course, filtered by course, category and instructor. */
  async function forEditor(query: ReportQuery, now: Date): Promise<ReportInput> {
    return {
      period: period(query, now),
      currency: query.currency,
      courses: await scope.coursesOf({ course: query.course, category: query.category, instructor: query.instructor }),
      dropOffCourse: query.course,
    };
  }

  /** An instructor's request: their own courses only; a course of someone else is not found. */
  async function forInstructor(userId: number, query: Pick<ReportQuery, 'preset' | 'from' | 'to' | 'granularity' | 'timeZone' | 'currency' | 'course'>, now: Date): Promise<ReportInput> {
    const instructor = await scope.instructorOfUser(userId);
    if (!instructor) throw httpError(403, 'This account has no instructor profile.', { reason: 'no-instructor-profile' });
    const own = (await scope.coursesOf({ instructor })) ?? [];
    if (query.course && !own.includes(query.course)) throw httpError(404, 'No such course among yours.');
    const p = period(query, now);
    const courses = query.course ? [query.course] : own;
    return { period: p, currency: query.currency, courses, dropOffCourse: query.course };
  }

  return { period, forEditor, forInstructor };
};
