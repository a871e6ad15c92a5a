/**
 * The submission checklist: pure functions over a snapshot of the course's draft in one locale
 * (`runChecksInLocales` runs it in every locale that approval will publish and merges the answers). Each check answers on its own (the instructor sees every item, not the first failure),
 * and the configuration says which ones block a submission (`required`), which ones only warn the
 * editor (`recommended`) and which ones are switched off.
 */

export const CHECK_IDS = [
  'title',
  'summary',
  'description',
  'cover',
  'chapters',
  'preview',
  'chapter-titles',
  'price',
  'taxonomy',
  'self-promotion',
  'publication',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];
export type CheckLevel = 'required' | 'recommended' | 'off';

export const CURRENCIES = ['usd', 'eur', 'gbp', 'cny', 'jpy'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface ChecksConfig {
  titleMinLength: number;
  summaryMinLength: number;
  descriptionMinLength: number;
  /** Chapters with content (a body or a video) a course needs. */
  minChapters: number;
  /** Smallest price a paid course may have, per currency, in minor units. */
  minPrice: Record<Currency, number>;
  /** Case-insensitive regular expressions: a link in the summary or description that matches one is self-promotion. */
  selfPromotionPatterns: string[];
  levels: Record<CheckId, CheckLevel>;
}

export const DEFAULT_CHECKS_CONFIG: ChecksConfig = {
  titleMinLength: 10,
  summaryMinLength: 60,
  descriptionMinLength: 200,
  minChapters: 3,
  minPrice: { usd: 100, eur: 100, gbp: 100, cny: 600, jpy: 100 },
  selfPromotionPatterns: [
    // link shorteners and link-in-bio pages hide where a learner is sent
    '^https?://(www\\.)?(bit\\.ly|tinyurl\\.com|t\\.co|goo\\.gl|ow\\.ly|linktr\\.ee|beacons\\.ai)/',
    // other course marketplaces and tip jars: selling elsewhere from inside a listing
    '^https?://([a-z0-9-]+\\.)*(udemy|skillshare|gumroad|patreon|ko-fi|buymeacoffee|teachable|thinkific|podia)\\.com\\b',
    // direct-message links move learners off the platform
    '^https?://(www\\.)?(t\\.me|wa\\.me|chat\\.whatsapp\\.com|discord\\.gg)/',
    // affiliate and referral parameters
    '[?&](ref|aff|affiliate|referral|coupon)=',
  ],
  levels: {
    title: 'required',
    summary: 'required',
    description: 'recommended',
    cover: 'required',
    chapters: 'required',
    preview: 'required',
    'chapter-titles': 'required',
    price: 'required',
    taxonomy: 'recommended',
    'self-promotion': 'required',
    publication: 'required',
  },
};

export interface ChapterSnapshot {
  title: string | null;
  /** A non-empty body or a video. */
  hasContent: boolean;
  isPreview: boolean;
}

/** What the checks read: the course draft in the default locale, with its draft chapters. */
export interface CourseSnapshot {
  title: string | null;
  summary: string | null;
  description: string | null;
  hasCover: boolean;
  access: 'free' | 'paid' | 'subscription' | null;
  price: number | null;
  currency: string | null;
  tagCount: number;
  hasCategory: boolean;
  chapters: ChapterSnapshot[];
  /**
   * What publication would refuse in the course and its chapters, from the content types' own
   * constraints (`domain/constraints.ts`), each naming the record and field:
   * `chapter 2 "Narrowing": position must be at least 1 (it is 0)`.
   */
  publicationViolations: string[];
}

export interface CheckResult {
  id: CheckId;
  level: Exclude<CheckLevel, 'off'>;
  passed: boolean;
  /** What the instructor should read: what passed or what to fix. */
  message: string;
}

const textLength = (s: string | null | undefined) => (s ?? '').trim().length;

/** Every http(s) link in a piece of Markdown or plain text. */
export function extractLinks(text: string | null | undefined): string[] {
  if (!text) return [];
  const links = text.match(/https?:\/\/[^\s<>()"'\]]+/gi) ?? [];
  return [...new Set(links.map((l) => l.replace(/[.,;:!?]+$/, '')))];
}

/** Compiles the configured patterns; throws on an invalid one (the config validator calls this at boot). */
export function compilePatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(p, 'i'));
}

type Verdict = { passed: boolean; message: string };

function evaluate(id: CheckId, s: CourseSnapshot, cfg: ChecksConfig): Verdict {
  switch (id) {
    case 'title': {
      const n = textLength(s.title);
      return n >= cfg.titleMinLength
        ? { passed: true, message: 'The title is set.' }
        : { passed: false, message: `The title needs at least ${cfg.titleMinLength} characters (it has ${n}).` };
    }
    case 'summary': {
      const n = textLength(s.summary);
      return n >= cfg.summaryMinLength
        ? { passed: true, message: 'The summary is long enough.' }
        : { passed: false, message: `The summary needs at least ${cfg.summaryMinLength} characters (it has ${n}).` };
    }
    case 'description': {
      const n = textLength(s.description);
      return n >= cfg.descriptionMinLength
        ? { passed: true, message: 'The description is long enough.' }
        : { passed: false, message: `Write a description of at least ${cfg.descriptionMinLength} characters (it has ${n}).` };
    }
    case 'cover':
      return s.hasCover
        ? { passed: true, message: 'The course has a cover image.' }
        : { passed: false, message: 'Add a cover image.' };
    case 'chapters': {
      const n = s.chapters.filter((c) => c.hasContent).length;
      return n >= cfg.minChapters
        ? { passed: true, message: `${n} chapters have content.` }
        : { passed: false, message: `At least ${cfg.minChapters} chapters need content (a body or a video): ${n} do.` };
    }
    case 'preview':
      return s.chapters.some((c) => c.isPreview && c.hasContent)
        ? { passed: true, message: 'At least one chapter with content is a free preview.' }
        : { passed: false, message: 'Mark at least one chapter with content as a free preview.' };
    case 'chapter-titles': {
      const missing = s.chapters.map((c, i) => (textLength(c.title) === 0 ? i + 1 : 0)).filter((i) => i > 0);
      return missing.length === 0
        ? { passed: true, message: 'Every chapter has a title.' }
        : { passed: false, message: `Chapters without a title: ${missing.join(', ')}.` };
    }
    case 'price': {
      if (s.access !== 'paid') return { passed: true, message: `No price needed for a ${s.access ?? 'free'} course.` };
      const currency = (s.currency ?? '').toLowerCase();
      if (!(CURRENCIES as readonly string[]).includes(currency)) {
        return { passed: false, message: `A paid course needs a currency among ${CURRENCIES.join(', ')}.` };
      }
      const min = cfg.minPrice[currency as Currency];
      const price = s.price ?? 0;
      return Number.isInteger(price) && price >= min
        ? { passed: true, message: 'The price is valid.' }
        : { passed: false, message: `A paid course needs a price of at least ${min} (minor units of ${currency}); it is ${price}.` };
    }
    case 'taxonomy': {
      const missing = [s.tagCount > 0 ? null : 'at least one tag', s.hasCategory ? null : 'a category'].filter(Boolean);
      return missing.length === 0
        ? { passed: true, message: 'The course has tags and a category.' }
        : { passed: false, message: `Add ${missing.join(' and ')}.` };
    }
    case 'self-promotion': {
      const patterns = compilePatterns(cfg.selfPromotionPatterns);
      const links = [...extractLinks(s.summary), ...extractLinks(s.description)];
      const offending = links.filter((l) => patterns.some((p) => p.test(l)));
      return offending.length === 0
        ? { passed: true, message: 'No self-promotion links.' }
        : { passed: false, message: `Remove links that promote outside the platform: ${offending.join(', ')}.` };
    }
    case 'publication':
      return s.publicationViolations.length === 0
        ? { passed: true, message: 'Every field has a value publication accepts.' }
        : { passed: false, message: `Publication would refuse: ${s.publicationViolations.join('; ')}.` };
    default: {
      const unreachable: never = id;
      throw new Error(`unknown check ${String(unreachable)}`);
    }
  }
}

/** Runs every enabled check, in a stable order. */
export function runChecks(snapshot: CourseSnapshot, cfg: ChecksConfig): CheckResult[] {
  const results: CheckResult[] = [];
  for (const id of CHECK_IDS) {
    const level = cfg.levels[id] ?? 'off';
    if (level === 'off') continue;
    results.push({ id, level, ...evaluate(id, snapshot, cfg) });
  }
  return results;
}

/** The required checks that failed: a submission with any of these is refused. */
export function failedRequired(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => r.level === 'required' && !r.passed);
}

/** The recommended checks that failed: shown to the editor, never blocking. */
export function failedRecommended(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => r.level === 'recommended' && !r.passed);
}

/**
 * Runs the checklist on the draft of every locale that will be published and merges the answers
 * into one result per check: it passes only if it passes in every locale; a failure names its
 * locale (`zh-Hans: The summary needs at least 60 characters (it has 4).`) unless only the default
 * locale is checked. The default locale comes first.
 */
export function runChecksInLocales(
  snapshots: ReadonlyArray<{ locale: string; snapshot: CourseSnapshot }>,
  cfg: ChecksConfig,
  defaultLocale: string
): CheckResult[] {
  const ordered = [...snapshots].sort((a, b) => (a.locale === defaultLocale ? -1 : b.locale === defaultLocale ? 1 : a.locale.localeCompare(b.locale)));
  const perLocale = ordered.map(({ locale, snapshot }) => ({ locale, results: runChecks(snapshot, cfg) }));
  const first = perLocale[0];
  if (!first) return [];
  const named = perLocale.length > 1 || first.locale !== defaultLocale;
  return first.results.map((r) => {
    const failures = perLocale
      .map(({ locale, results }) => ({ locale, result: results.find((x) => x.id === r.id)! }))
      .filter(({ result }) => !result.passed);
    if (failures.length === 0) return r;
    return {
      id: r.id,
      level: r.level,
      passed: false,
      message: failures.map(({ locale, result }) => (named ? `${locale}: ${result.message}` : result.message)).join(' '),
    };
  });
}
