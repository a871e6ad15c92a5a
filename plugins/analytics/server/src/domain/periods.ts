/**
 * Report periods in an explicit IANA time zone: range presets resolved against a fixed `now`,
 * local days mapped to UTC instants (DST-safe: a local day is 23, 24 or 25 hours), and the buckets
 * of a granularity with the boundaries SQL groups by. Pure: no clock, no database.
 */
import type { AnalyticsPeriod, Granularity, RangePreset } from '@kp/platform';

/** A calendar day, without a time zone. */
export interface LocalDay {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

export interface Bucket {
  key: string;
  /** UTC instant of the bucket's first local midnight (clipped to the period). */
  start: Date;
  /** UTC instant after its last local day (clipped to the period), exclusive. */
  end: Date;
}

export interface ResolvedPeriod {
  timeZone: string;
  granularity: Granularity;
  fromDay: LocalDay;
  toDay: LocalDay;
  from: Date;
  to: Date;
  buckets: Bucket[];
}

export type RangeInput =
  | { preset: Exclude<RangePreset, 'custom'> }
  | { preset: 'custom'; from: string; to: string };

export type PeriodDecision =
  | { ok: true; period: ResolvedPeriod }
  | { ok: false; reason: 'unknown-time-zone' | 'bad-date' | 'from-after-to' | 'too-many-buckets'; message: string };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows this IANA zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock parts of an instant in a zone. */
export function zonedParts(instant: Date, timeZone: string): LocalDay & { hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of the zone from UTC at an instant, in milliseconds (east positive). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The UTC instant of local midnight starting `day`. Where midnight does not exist (a DST jump at
 * 00:00), the first instant of the day.
 */
export function startOfLocalDay(day: LocalDay, timeZone: string): Date {
  const guess = Date.UTC(day.year, day.month - 1, day.day);
  let t = guess - zoneOffsetMs(new Date(guess), timeZone);
  // A second pass settles the case where the offset differs on each side of the guess.
  t = guess - zoneOffsetMs(new Date(t), timeZone);
  const p = zonedParts(new Date(t), timeZone);
  if (p.day !== day.day) t += 3_600_000; // midnight skipped: 01:00 is the day's first instant
  return new Date(t);
}

export function localDayOf(instant: Date, timeZone: string): LocalDay {
  const { year, month, day } = zonedParts(instant, timeZone);
  return { year, month, day };
}

export function addDays(d: LocalDay, n: number): LocalDay {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function addMonths(d: LocalDay, n: number): LocalDay {
  const t = new Date(Date.UTC(d.year, d.month - 1 + n, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: Math.min(d.day, last) };
}

export function dayKey(d: LocalDay): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function compareDays(a: LocalDay, b: LocalDay): number {
  return Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day);
}

/** Number of local days from a to b inclusive. */
export function daysBetween(a: LocalDay, b: LocalDay): number {
  return Math.round(compareDays(b, a) / 86_400_000) + 1;
}

export function parseDay(text: string): LocalDay | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const back = addDays(d, 0);
  return back.year === d.year && back.month === d.month && back.day === d.day ? d : null;
}

/** The bucket a local day falls in: itself, its ISO week's Monday, or its month. */
export function bucketKeyOf(d: LocalDay, granularity: Granularity): string {
  switch (granularity) {
    case 'day':
      return dayKey(d);
    case 'week': {
      const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay(); // 0 = Sunday
      return dayKey(addDays(d, -((weekday + 6) % 7)));
    }
    case 'month':
      return `${d.year}-${String(d.month).padStart(2, '0')}`;
  }
}

/** The local days a preset covers, ending today (inclusive) unless the preset says otherwise. */
export function presetDays(preset: Exclude<RangePreset, 'custom'>, today: LocalDay): { from: LocalDay; to: LocalDay } {
  switch (preset) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case '90d':
      return { from: addDays(today, -89), to: today };
    case '12m':
      return { from: addDays(addMonths({ ...today, day: 1 }, -11), 0), to: today };
    case 'mtd':
      return { from: { ...today, day: 1 }, to: today };
    case 'last-month': {
      const first = addMonths({ ...today, day: 1 }, -1);
      return { from: first, to: addDays({ ...today, day: 1 }, -1) };
    }
    case 'ytd':
      return { from: { year: today.year, month: 1, day: 1 }, to: today };
  }
}

/** Buckets covering [from, to] local days: boundaries at local midnights, clipped to the period. */
export function bucketsOf(fromDay: LocalDay, toDay: LocalDay, granularity: Granularity, timeZone: string): Bucket[] {
  const out: Bucket[] = [];
  let day = fromDay;
  while (compareDays(day, toDay) <= 0) {
    const key = bucketKeyOf(day, granularity);
    let next = addDays(day, 1);
    while (compareDays(next, toDay) <= 0 && bucketKeyOf(next, granularity) === key) next = addDays(next, 1);
    out.push({ key, start: startOfLocalDay(day, timeZone), end: startOfLocalDay(next, timeZone) });
    day = next;
  }
  return out;
}

/** How many buckets [from, to] makes, without building them. */
export function bucketCount(fromDay: LocalDay, toDay: LocalDay, granularity: Granularity): number {
  const days = daysBetween(fromDay, toDay);
  if (granularity === 'day') return days;
  if (granularity === 'week') {
    const offset = (new Date(Date.UTC(fromDay.year, fromDay.month - 1, fromDay.day)).getUTCDay() + 6) % 7;
    return Math.floor((offset + days - 1) / 7) + 1;
  }
  return (toDay.year - fromDay.year) * 12 + (toDay.month - fromDay.month) + 1;
}

/** Resolves a range request to a period, or says what is wrong with it. */
export function resolvePeriod(
  range: RangeInput,
  granularity: Granularity,
  options: { now: Date; timeZone: string; maxBuckets: number }
): PeriodDecision {
  const { now, timeZone, maxBuckets } = options;
  if (!isTimeZone(timeZone)) return { ok: false, reason: 'unknown-time-zone', message: `Unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin).` };
  let fromDay: LocalDay;
  let toDay: LocalDay;
  if (range.preset === 'custom') {
    const f = parseDay(range.from);
    const t = parseDay(range.to);
    if (!f || !t) return { ok: false, reason: 'bad-date', message: 'from and to must be calendar dates (YYYY-MM-DD).' };
    fromDay = f;
    toDay = t;
  } else {
    ({ from: fromDay, to: toDay } = presetDays(range.preset, localDayOf(now, timeZone)));
  }
  if (compareDays(fromDay, toDay) > 0) return { ok: false, reason: 'from-after-to', message: 'from must not be after to.' };
  const count = bucketCount(fromDay, toDay, granularity);
  if (count > maxBuckets) {
    return { ok: false, reason: 'too-many-buckets', message: `The range makes ${count} ${granularity} buckets; at most ${maxBuckets} (choose a coarser granularity or a shorter range).` };
  }
  const buckets = bucketsOf(fromDay, toDay, granularity, timeZone);
  return {
    ok: true,
    period: { timeZone, granularity, fromDay, toDay, from: buckets[0]!.start, to: buckets[buckets.length - 1]!.end, buckets },
  };
}

/** The same number of local days immediately before a period (the comparison period), as one bucket. */
export function previousPeriod(period: ResolvedPeriod): { fromDay: LocalDay; toDay: LocalDay; from: Date; to: Date } {
  const length = daysBetween(period.fromDay, period.toDay);
  const toDay = addDays(period.fromDay, -1);
  const fromDay = addDays(toDay, -(length - 1));
  return { fromDay, toDay, from: startOfLocalDay(fromDay, period.timeZone), to: period.from };
}

/** The period as the API answers it. */
export function describePeriod(period: ResolvedPeriod): AnalyticsPeriod {
  return {
    timeZone: period.timeZone,
    granularity: period.granularity,
    fromDay: dayKey(period.fromDay),
    toDay: dayKey(period.toDay),
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    buckets: period.buckets.map((b) => b.key),
  };
}
