/**
 * Every reason the recommender gives over the whole demo catalogue (scripts/lib/demo-catalogue.ts,
 * what `npm run seed` writes), in both locales, is true of the recommended course and readable:
 * each named term is one of the course's own tags or its category, or a real word of the title or
 * summary it is shown with — never a character bigram, a number or a stop word, never a term of a
 * segment the course does not have, never Chinese in an English reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { words as naturalStopwords } from 'natural/lib/natural/util/stopwords';
import { buildDemoCatalogue, prng } from '../../scripts/lib/demo-catalogue';
import { coursesFromRows, type CourseCard, type CourseRow } from '../../plugins/recommender/server/src/domain/catalogue';
import { withDefaults } from '../../plugins/recommender/server/src/domain/config';
import { RecommenderEngine, type Recommendation } from '../../plugins/recommender/server/src/domain/engine';
import { presentList, UNINFORMATIVE_WORDS, type ListContext, type PresentedCourse } from '../../plugins/recommender/server/src/domain/present';
import { learnerSignals, type InteractionEvent } from '../../plugins/recommender/server/src/domain/signals';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const STOP = new Set<string>(naturalStopwords);
const NOW = Date.UTC(2026, 11, 1);

const demo = buildDemoCatalogue();
const rows: CourseRow[] = demo.courses.flatMap((c) => {
  const base = { documentId: c.slug, slug: c.slug, level: c.level, access: c.access, price: c.price, currency: c.currency, publishedAt: NOW, tags: c.tags.map((slug) => ({ slug })), category: { slug: c.category }, cover: null };
  const en: CourseRow = { ...base, locale: 'en', title: c.title.en, summary: c.summary.en };
  return c.translated ? [en, { ...base, locale: 'zh-Hans', title: c.title.zh ?? null, summary: c.summary.zh ?? null }] : [en];
});
const courses = coursesFromRows(rows);
const cards = new Map<string, CourseCard>(courses.map((c) => [c.card.documentId, c.card]));
const names = (list: Array<{ slug: string; name: { en: string; zh?: string } }>) =>
  new Map(list.map((x) => [x.slug, { en: x.name.en, ...(x.name.zh ? { 'zh-Hans': x.name.zh } : {}) }]));
const tagNames = names(demo.tags);
const categoryNames = names(demo.categories);

// Learners who mostly stay in one category, with an excursion: co-occurrence and popularity have data.
const rand = prng(7);
const byCategory = new Map<string, string[]>();
for (const c of demo.courses) byCategory.set(c.category, [...(byCategory.get(c.category) ?? []), c.slug]);
const shelves = [...byCategory.values()];
const learners: InteractionEvent[][] = Array.from({ length: 400 }, (_, n) => {
  const shelf = shelves[n % shelves.length] as string[];
  const taken = new Set<string>();
  const count = 1 + Math.floor(rand() * 5);
  for (let i = 0; i < count; i++) taken.add(shelf[Math.floor(rand() * shelf.length)] as string);
  if (rand() < 0.3) taken.add(demo.courses[Math.floor(rand() * demo.courses.length)]!.slug);
  return [...taken].map((itemId, i) => ({ itemId, kind: 'purchase' as const, at: NOW - (count - i) * 86_400_000 }));
});
const engine = RecommenderEngine.build(courses.map((c) => c.doc), learners, NOW, withDefaults());

function lists(locale: string): Array<[string, PresentedCourse[]]> {
  const ctx = (mode: ListContext['mode']): ListContext => ({ locale, defaultLocale: 'en', mode, card: (id) => cards.get(id), tagNames, categoryNames });
  const out: Array<[string, PresentedCourse[]]> = [];
  const add = (name: string, mode: ListContext['mode'], list: Recommendation[] | null) => list && out.push([name, presentList(list, ctx(mode))]);
  add('cold start', 'cold-start', engine.coldStart({ limit: 40 }));
  for (const c of demo.courses) add(`similar to ${c.slug}`, 'similar', engine.similar(c.slug, { limit: 10 }));
  learners.slice(0, 120).forEach((events, n) => add(`learner ${n}`, 'personal', engine.recommend(learnerSignals(events, NOW, engine.config), { limit: 10 })));
  return out;
}

for (const locale of ['en', 'zh-Hans']) {
  test(`every reason over the demo catalogue is true and readable (${locale})`, () => {
    const problems: string[] = [];
    let named = 0;
    let reasons = 0;
    for (const [list, items] of lists(locale)) {
      for (const item of items) {
        const card = cards.get(item.documentId)!;
        const shown = `${item.title} ${item.summary ?? ''}`.toLowerCase();
        for (const reason of item.reasons) {
          reasons++;
          const where = `${list} → ${item.slug}: "${reason.message}"`;
          if (locale === 'en' && CJK.test(reason.message)) problems.push(`${where}: Chinese in an English reason`);
          if ((reason.type === 'shared-terms' || reason.type === 'segment') && reason.terms.length === 0) problems.push(`${where}: no term`);
          for (const term of 'terms' in reason ? reason.terms : []) {
            named++;
            const key = term.key.slice(2);
            if (term.key.startsWith('t:')) {
              if (!card.tags.includes(key)) problems.push(`${where}: tag ${key} is not the course's`);
            } else if (term.key.startsWith('c:')) {
              if (!card.categories.includes(key)) problems.push(`${where}: category ${key} is not the course's`);
            } else {
              const w = term.label;
              if (CJK.test(w)) problems.push(`${where}: "${w}" is a character fragment`);
              if (/\d/.test(w)) problems.push(`${where}: "${w}" is a number`);
              if (STOP.has(w) || UNINFORMATIVE_WORDS.has(w) || w.length < 3) problems.push(`${where}: "${w}" is a stop word`);
              if (!shown.includes(w)) problems.push(`${where}: "${w}" is not in what the course is shown with`);
            }
          }
        }
      }
    }
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
    assert.ok(reasons > 500 && named > 200, `the lists give reasons with terms (${reasons} reasons, ${named} terms)`);
  });
}
