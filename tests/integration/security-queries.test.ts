/**
 * The content API's query budget and query shapes, over HTTP against a real Strapi (TEST_DB):
 * populate depth in every form, relations crossed by filters, the bound on entries per response
 * from every catalogue type (refused before the database reads them), the malformed-query
 * corpus of tests/support/query-corpus.ts (every entry 400 with a message, never 500), the
 * queries the storefront and the README send (still 200 with the right data), and /_health
 * while the heaviest allowed request runs. Default settings: QUERY_MAX_POPULATE_DEPTH=3,
 * QUERY_MAX_ENTITIES=2500, QUERY_MAX_FILTER_RELATIONS=4.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootApp, type TestApp } from '../support/strapi';
import { createCourse, createInstructor, createUser, type BuiltCourse, type TestUser } from '../support/builders';
import { malformedCorpus } from '../support/query-corpus';
import { ensureListening, rawRequest } from '../support/raw-http';

type Entry = Record<string, unknown> & { documentId: string };
interface Body {
  data?: unknown;
  meta?: { pagination?: { total?: number; pageSize?: number } };
  error?: { status?: number; name?: string; message?: string; details?: Record<string, unknown> };
}

const TAGS = 6;
const COURSES = 25;
const CHAPTERS = 6;
const CATALOGUE_TABLES = /\bfrom\s+(?:"public"\.)?["`]?(courses|chapters|tags|categories|instructors|plans)["`]?\s+as\s+["`]?t0\b/i;

describe('query budget and query shapes', () => {
  let app: TestApp;
  let learner: TestUser;
  let tagIds: string[];
  let soloTag: string;
  let mainCategory: string;
  let otherCategory: string;
  let planIds: string[];
  let courses: BuiltCourse[];
  let others: BuiltCourse[];

  const get = async (url: string, auth?: string): Promise<{ status: number; body: Body; text: string }> => {
    const req = app.http().get(url);
    if (auth) req.set('Authorization', auth);
    const res = await req;
    return { status: res.status, body: res.body as Body, text: res.text };
  };
  /** SQL statements run while `fn` runs. */
  const statementsDuring = async (fn: () => Promise<unknown>): Promise<string[]> => {
    const sqls: string[] = [];
    const listen = (q: { sql: string }) => sqls.push(q.sql);
    app.strapi.db.connection.on('query', listen);
    try {
      await fn();
    } finally {
      app.strapi.db.connection.removeListener('query', listen);
    }
    return sqls;
  };

  before(async () => {
    app = await bootApp();
    const docs = app.strapi.documents;
    tagIds = [];
    for (let i = 0; i < TAGS; i += 1) {
      tagIds.push((await docs('api::tag.tag').create({ locale: 'en', data: { name: `Budget tag ${i}`, slug: `budget-tag-${i}` } as never })).documentId);
    }
    soloTag = (await docs('api::tag.tag').create({ locale: 'en', data: { name: 'Solo', slug: 'solo' } as never })).documentId;
    mainCategory = (await docs('api::category.category').create({ locale: 'en', data: { name: 'Main', slug: 'main' } as never })).documentId;
    otherCategory = (await docs('api::category.category').create({ locale: 'en', data: { name: 'Other', slug: 'other' } as never })).documentId;
    const instructor = await createInstructor(app, 'Budget Instructor');
    courses = [];
    // Every course has every tag: the bound of a tags → courses → tags chain is exact here.
    for (let i = 0; i < COURSES; i += 1) {
      courses.push(
        await createCourse(app, {
          title: `Budget course ${String(i).padStart(2, '0')}`,
          access: i % 5 === 0 ? 'free' : 'paid',
          level: i % 2 === 0 ? 'beginner' : 'advanced',
          tags: tagIds,
          category: mainCategory,
          instructor: instructor.instructorDocumentId,
          chapters: Array.from({ length: CHAPTERS }, (_, j) => ({ isPreview: j === 0 })),
        })
      );
    }
    others = [];
    for (const title of ['Zeta solo course', 'Omega solo course']) {
      others.push(await createCourse(app, { title, tags: [soloTag], category: otherCategory, instructor: instructor.instructorDocumentId, chapters: 2 }));
    }
    planIds = [];
    for (let i = 0; i < 3; i += 1) {
      const plan = await docs('api::plan.plan').create({
        locale: 'en',
        data: { name: `Budget plan ${i}`, slug: `budget-plan-${i}`, interval: 'month', price: 900 + i, currency: 'usd', allAccess: false, courses: courses.map((c) => c.documentId) } as never,
      });
      planIds.push(plan.documentId);
    }
    learner = await createUser(app);
  });
  after(async () => {
    await app?.close();
  });

  describe('populate depth (QUERY_MAX_POPULATE_DEPTH=3)', () => {
    // Four levels from every type, in every form Strapi reads.
    const chains: Array<[string, string[]]> = [
      ['courses', ['chapters', 'course', 'tags', 'courses']],
      ['chapters', ['course', 'tags', 'courses', 'chapters']],
      ['tags', ['courses', 'chapters', 'course', 'tags']],
      ['categories', ['courses', 'tags', 'courses', 'chapters']],
      ['instructors', ['courses', 'chapters', 'course', 'tags']],
      ['plans', ['courses', 'plans', 'courses', 'chapters']],
    ];
    const forms: Array<[string, (c: string[]) => string]> = [
      ['dotted string', (c) => `populate=${c.join('.')}`],
      ['list of strings', (c) => `populate[0]=${c[0]}&populate[1]=${c.join('.')}`],
      ['comma list', (c) => `populate=${c[0]},${c.join('.')}`],
      ['nested objects', (c) => `populate${c.map((a) => `[${a}]`).join('[populate]')}=true`],
      ['nested * as the last level', (c) => `populate${c.slice(0, 3).map((a) => `[${a}]`).join('[populate]')}[populate]=*`],
      ['object then dotted string', (c) => `populate[${c[0]}][populate]=${c.slice(1).join('.')}`],
      ['dotted object key', (c) => `populate[${c.join('.')}]=true`],
      ['options on every level', (c) => `populate${c.map((a) => `[${a}]`).join('[populate]')}[fields][0]=id`],
    ];
    for (const [type, chain] of chains) {
      test(`${type}: four levels refused in every form, naming the limit`, async () => {
        for (const [form, build] of forms) {
          const url = `/api/${type}?${build(chain)}`;
          const res = await get(url);
          assert.equal(res.status, 400, `${form}: ${url} → ${res.status} ${res.text.slice(0, 200)}`);
          assert.match(res.body.error?.message ?? '', /4 relations deep; at most 3 .*QUERY_MAX_POPULATE_DEPTH/, form);
          assert.equal(res.body.error?.details?.limit, 'QUERY_MAX_POPULATE_DEPTH');
        }
      });
    }

    test('a fragment (`on`) counts the levels under it', async () => {
      const res = await get('/api/courses?populate[cover][populate][related][on][api::course.course][populate]=chapters.course');
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.error?.message ?? '', /QUERY_MAX_POPULATE_DEPTH/);
    });

    test('three levels pass, with the right data, from every type', async () => {
      const course = courses[3]!;
      const c = await get(`/api/courses?filters[slug][$eq]=${course.slug}&populate[chapters][populate][course][populate]=category`);
      assert.equal(c.status, 200, c.text);
      const [one] = c.body.data as Array<Entry & { chapters: Array<Entry & { course: Entry & { category: Entry } }> }>;
      assert.equal(one!.chapters.length, CHAPTERS);
      for (const ch of one!.chapters) {
        assert.equal(ch.course.documentId, course.documentId);
        assert.equal(ch.course.category.documentId, mainCategory);
      }
      const t = await get('/api/tags?filters[slug][$eq]=budget-tag-0&populate=courses.chapters.course');
      assert.equal(t.status, 200, t.text);
      const [tag] = t.body.data as Array<Entry & { courses: Array<Entry & { chapters: Array<Entry & { course: Entry }> }> }>;
      assert.equal(tag!.courses.length, COURSES);
      assert.ok(tag!.courses.every((k) => k.chapters.length === CHAPTERS && k.chapters.every((ch) => ch.course.documentId === k.documentId)));
      for (const url of [
        '/api/chapters?populate[course][populate][category][populate]=courses&pagination[pageSize]=5',
        '/api/categories?populate[courses][populate][chapters][populate]=course',
        '/api/instructors?populate[courses][populate][chapters][populate]=*',
        '/api/plans?populate[courses][populate][chapters][fields][0]=title',
      ]) {
        const res = await get(url);
        assert.equal(res.status, 200, `${url} → ${res.text.slice(0, 300)}`);
      }
    });
  });

  describe('entries per response (QUERY_MAX_ENTITIES=2500)', () => {
    // Each chain is three levels deep (within the depth limit) and multiplies past 2,500 entries.
    const explosive: Array<[string, string, number]> = [
      ['tags', 'populate[courses][populate][tags][populate]=courses', TAGS * COURSES * TAGS * COURSES],
      ['categories', 'populate[courses][populate][tags][populate]=courses', COURSES * TAGS * COURSES],
      ['instructors', 'populate[courses][populate][tags][populate]=courses', COURSES * TAGS * COURSES],
      ['plans', 'populate[courses][populate][plans][populate]=courses', 3 * COURSES * 3 * COURSES],
      ['courses', 'populate=tags.courses.chapters', COURSES * TAGS * COURSES * CHAPTERS],
      ['chapters', 'populate[course][populate][tags][populate]=courses', COURSES * TAGS * COURSES],
    ];
    for (const [type, query, real] of explosive) {
      test(`${type}: ${query} (really ~${real} entries) is refused before the database reads any entry`, async () => {
        let res: Awaited<ReturnType<typeof get>> | undefined;
        const sqls = await statementsDuring(async () => {
          res = await get(`/api/${type}?${query}`);
        });
        assert.equal(res!.status, 400, res!.text.slice(0, 300));
        assert.match(res!.body.error?.message ?? '', /more than 2500 entries .*at most 2500 .*QUERY_MAX_ENTITIES/);
        assert.equal(res!.body.error?.details?.limit, 'QUERY_MAX_ENTITIES');
        const entityReads = sqls.filter((s) => CATALOGUE_TABLES.test(s));
        assert.deepEqual(entityReads, [], 'no catalogue query ran');
      });
    }

    test('one level less passes, whole: every tag with every course and its tags', async () => {
      const res = await get('/api/tags?filters[slug][$startsWith]=budget-tag&populate[courses][populate]=tags');
      assert.equal(res.status, 200, res.text.slice(0, 300));
      const tags = res.body.data as Array<Entry & { courses: Array<Entry & { tags: Entry[] }> }>;
      assert.equal(tags.length, TAGS);
      for (const tag of tags) {
        assert.equal(tag.courses.length, COURSES);
        assert.ok(tag.courses.every((c) => c.tags.length === TAGS));
      }
    });

    test('a 25-course page with its chapters passes, and so does the largest page with everything', async () => {
      const page = await get('/api/courses?populate=chapters&pagination[pageSize]=25&filters[title][$startsWith]=Budget');
      assert.equal(page.status, 200, page.text.slice(0, 300));
      const data = page.body.data as Array<Entry & { chapters: Array<Entry & { locked: boolean }> }>;
      assert.equal(data.length, 25);
      assert.ok(data.every((c) => c.chapters.length === CHAPTERS));
      const all = await get('/api/courses?populate=*&pagination[pageSize]=100');
      assert.equal(all.status, 200, all.text.slice(0, 300));
      assert.equal((all.body.data as Entry[]).length, COURSES + others.length);
    });

    test('the page the route will read is what counts: pageSize, limit, start/limit; the cap of 100 holds', async () => {
      const chain = 'populate=tags.courses';
      assert.equal((await get(`/api/courses?${chain}`)).status, 400, 'a default page of 25: 25 × 6 tags × 25 courses');
      for (const page of ['pagination[pageSize]=2', 'pagination[limit]=2', 'pagination[start]=3&pagination[limit]=2', 'pagination[page]=2&pagination[pageSize]=2']) {
        const res = await get(`/api/courses?${chain}&${page}`);
        assert.equal(res.status, 200, `${page}: ${res.text.slice(0, 200)}`);
        assert.equal((res.body.data as Entry[]).length, 2, page);
      }
      for (const page of ['pagination[pageSize]=1000', 'pagination[limit]=1000']) {
        assert.equal((await get(`/api/courses?${chain}&${page}`)).status, 400, `${page} counts as 100, not less`);
        const plain = await get(`/api/courses?${page}`);
        assert.equal(plain.status, 200);
        assert.equal((plain.body.data as Entry[]).length, COURSES + others.length);
      }
      // Top-level start/limit are not the core API's pagination: they change nothing.
      const topLevel = await get('/api/courses?start=0&limit=1000');
      assert.equal((topLevel.body.data as Entry[]).length, 25);
    });

    test('statistics are read once per relation, and again after a write to it', async () => {
      const url = '/api/categories?populate[courses][populate]=chapters';
      await get(url);
      const warm = await statementsDuring(() => get(url));
      assert.deepEqual(warm.filter((s) => /fanout/i.test(s)), [], 'cached: no statistics statement');
      const before = await get(`/api/categories?filters[slug][$eq]=other&populate=courses`);
      assert.equal((before.body.data as Array<{ courses: Entry[] }>)[0]!.courses.length, 2);
      const extra = await createCourse(app, { title: 'Late arrival', category: otherCategory, chapters: 1 });
      const afterWrite = await statementsDuring(() => get(url));
      assert.ok(afterWrite.some((s) => /fanout/i.test(s)), 'a write to courses dropped the cached statistics');
      const res = await get(`/api/categories?filters[slug][$eq]=other&populate=courses`);
      assert.ok((res.body.data as Array<{ courses: Entry[] }>)[0]!.courses.some((c) => c.documentId === extra.documentId));
      await app.strapi.documents('api::course.course').delete({ documentId: extra.documentId });
    });
  });

  describe('relations crossed by filters and sort (QUERY_MAX_FILTER_RELATIONS=4)', () => {
    const branches = (n: number) => Array.from({ length: n }, (_, i) => `filters[$or][${i}][tags][slug][$eq]=budget-tag-${i}`).join('&');
    test('five joins refused, four pass with the right data', async () => {
      const refused = await get(`/api/courses?${branches(5)}`);
      assert.equal(refused.status, 400, refused.text);
      assert.match(refused.body.error?.message ?? '', /cross 5 relations .*at most 4 .*QUERY_MAX_FILTER_RELATIONS/);
      const passed = await get(`/api/courses?${branches(4)}&pagination[pageSize]=100`);
      assert.equal(passed.status, 200, passed.text);
      assert.equal((passed.body.data as Entry[]).length, COURSES);
    });
    test('a chain of relations, sort, and a populated relation’s own filters count too', async () => {
      for (const url of [
        '/api/courses?filters[tags][courses][tags][courses][tags][slug][$eq]=solo',
        '/api/courses?filters[tags][slug][$eq]=solo&filters[category][slug][$eq]=other&filters[chapters][course][tags][slug][$eq]=solo&sort=instructor.name:asc',
        '/api/categories?populate[courses][filters][tags][courses][tags][courses][tags][slug][$eq]=solo',
      ]) {
        const res = await get(url);
        assert.equal(res.status, 400, `${url}: ${res.text}`);
        assert.match(res.body.error?.message ?? '', /QUERY_MAX_FILTER_RELATIONS/);
      }
    });
  });

  describe('malformed queries: 400 with a message, never 500', () => {
    test('the five reproductions of the issue', async () => {
      for (const url of [
        '/api/courses?filters[title][$eq][$ne]=x',
        '/api/courses?filters[title][$between]=a',
        '/api/courses?filters[$and]=1',
        '/api/courses?filters[$or][0]=x',
        '/api/courses?populate[chapters][filters][$and]=1',
      ]) {
        const res = await get(url);
        assert.equal(res.status, 400, `${url}: ${res.text}`);
        assert.equal(res.body.error?.name, 'ValidationError');
        assert.ok((res.body.error?.message ?? '').length > 10, url);
      }
      const between = await get('/api/courses?filters[title][$between]=a');
      assert.match(between.body.error!.message!, /filters\[title\]\[\$between\] takes exactly two values/);
    });

    test('the corpus: every malformed filters, sort, fields, populate and pagination on every type', { timeout: 600_000 }, async () => {
      const corpus = malformedCorpus();
      assert.ok(corpus.length > 1500, `${corpus.length} entries`);
      const wrong: string[] = [];
      for (const entry of corpus) {
        const res = await get(entry.url);
        const message = res.body?.error?.message;
        if (res.status < 400 || res.status >= 500 || typeof message !== 'string' || message.length === 0) {
          wrong.push(`${res.status} ${entry.label}: ${entry.url} ${res.text.slice(0, 120)}`);
        }
      }
      assert.deepEqual(wrong.slice(0, 30), [], `${wrong.length} of ${corpus.length} entries were not 4xx with a message`);
    });

    test('a path the static server refuses (a traversal) is a 4xx in the API envelope, and is not logged as a server error', async () => {
      const server = app.strapi.server.httpServer;
      await ensureListening(server);
      const logged: unknown[] = [];
      const log = app.strapi.log as unknown as { error: (...args: unknown[]) => void };
      const original = log.error;
      log.error = (...args: unknown[]) => void logged.push(args);
      try {
        // koa-static answers a backslash traversal "Malicious Path" (400) and an encoded one out of public/ 403.
        for (const [rawPath, status] of [['/%5C..%5Cpackage.json', 400], ['/%5C..%5C..%5Cetc%5Cpasswd', 400], ['/%2e%2e%2fpackage.json', 403], ['/uploads/%2e%2e/%2e%2e/package.json', 403]] as const) {
          const res = await rawRequest(server, 'GET', rawPath);
          assert.equal(res.status, status, `${rawPath}: ${res.text.slice(0, 200)}`);
          const body = JSON.parse(res.text) as { data: unknown; error: { status: number; message: string } };
          assert.equal(body.data, null);
          assert.equal(body.error.status, status);
          assert.ok(body.error.message.length > 0, rawPath);
          assert.doesNotMatch(res.text, /"name":\s*"knowledge-platform"/, 'no file from outside public/');
        }
      } finally {
        log.error = original;
      }
      assert.deepEqual(logged, [], 'a client’s bad path is not a logged server error');
    });

    test('a learner sending the same shapes is refused the same way', async () => {
      for (const entry of malformedCorpus().filter((_, i) => i % 97 === 0)) {
        const res = await get(entry.url, learner.auth);
        assert.ok(res.status >= 400 && res.status < 500 && res.body.error?.message, `${entry.url}: ${res.status}`);
      }
    });
  });

  describe('what clients send today still works', () => {
    test('the storefront’s catalogue page, filters and search', async () => {
      const card = 'fields[0]=title&fields[1]=slug&fields[2]=summary&fields[3]=level&fields[4]=access&fields[5]=price&fields[6]=currency&fields[7]=publishedAt'
        + '&populate[cover][fields][0]=url&populate[cover][fields][1]=alternativeText&populate[cover][fields][2]=formats'
        + '&populate[category][fields][0]=name&populate[category][fields][1]=slug&populate[tags][fields][0]=name&populate[tags][fields][1]=slug'
        + '&populate[instructor][fields][0]=name&populate[instructor][fields][1]=slug';
      const page = await get(`/api/courses?locale=en&${card}&sort=title:asc&pagination[page]=1&pagination[pageSize]=12`);
      assert.equal(page.status, 200, page.text);
      const list = page.body.data as Array<Entry & { title: string; tags: Entry[]; category: Entry; instructor: Entry }>;
      assert.equal(list.length, 12);
      assert.deepEqual(list.map((c) => c.title), [...list.map((c) => c.title)].sort());
      assert.equal(list[0]!.tags.length, TAGS);
      assert.equal(list[0]!.category.documentId, mainCategory);
      assert.equal(page.body.meta?.pagination?.total, COURSES + others.length);

      const filtered = await get(`/api/courses?locale=en&${card}&filters[$and][0][$or][0][title][$containsi]=solo&filters[$and][0][$or][1][summary][$containsi]=solo`
        + '&filters[$and][1][category][slug][$eq]=other&filters[$and][2][tags][slug][$eq]=solo&filters[$and][3][level][$eq]=beginner&filters[$and][4][access][$eq]=paid&sort=title:asc&pagination[page]=1&pagination[pageSize]=12');
      assert.equal(filtered.status, 200, filtered.text);
      assert.deepEqual((filtered.body.data as Array<{ title: string }>).map((c) => c.title), ['Omega solo course', 'Zeta solo course']);

      const count = await get('/api/courses?locale=en&fields[0]=slug&pagination[page]=1&pagination[pageSize]=1');
      assert.equal(count.body.meta?.pagination?.total, COURSES + others.length);

      const byIds = await get(`/api/courses?locale=en&fields[0]=title&filters[documentId][$in][0]=${others[0]!.documentId}&filters[documentId][$in][1]=${courses[1]!.documentId}&pagination[pageSize]=100`);
      assert.deepEqual(new Set((byIds.body.data as Entry[]).map((c) => c.documentId)), new Set([others[0]!.documentId, courses[1]!.documentId]));
    });

    test('the storefront’s course page, chapter page, categories, tags and plans', async () => {
      const course = courses[7]!;
      const detail = await get(`/api/courses?locale=en&filters[slug][$eq]=${course.slug}`
        + '&populate[instructor][fields][0]=name&populate[instructor][fields][1]=slug&populate[instructor][fields][2]=bio&populate[instructor][populate][avatar][fields][0]=url&populate[instructor][populate][avatar][fields][1]=alternativeText'
        + '&populate[chapters][fields][0]=title&populate[chapters][fields][1]=position&populate[chapters][fields][2]=isPreview&populate[chapters][fields][3]=duration&populate[chapters][fields][4]=optional&populate[chapters][sort][0]=position:asc'
        + '&populate[plans][fields][0]=name&populate[plans][fields][1]=slug&populate[cover][fields][0]=url&populate[tags][fields][0]=name&populate[category][fields][0]=name&pagination[page]=1&pagination[pageSize]=1');
      assert.equal(detail.status, 200, detail.text);
      const [c] = detail.body.data as Array<Entry & { chapters: Array<{ position: number; locked: boolean; body?: string }>; plans: Entry[]; instructor: { name: string } }>;
      assert.deepEqual(c!.chapters.map((ch) => ch.position), [1, 2, 3, 4, 5, 6]);
      assert.equal(c!.plans.length, 3);
      assert.equal(c!.instructor.name, 'Budget Instructor');
      assert.ok(c!.chapters.every((ch) => ch.body === undefined), 'the paywall still strips bodies');

      const chapter = course.chapters[0]!;
      const page = await get(`/api/chapters/${chapter.documentId}?locale=en&populate[video][fields][0]=url&populate[attachments][fields][0]=url&populate[course][fields][0]=title&populate[course][fields][1]=slug&populate[course][fields][2]=access`);
      assert.equal(page.status, 200, page.text);
      const ch = page.body.data as { title: string; body?: string; course: { slug: string } };
      assert.equal(ch.course.slug, course.slug);
      assert.equal(ch.body, chapter.body, 'a preview chapter is readable');

      const cats = await get('/api/categories?locale=en&fields[0]=name&fields[1]=slug&sort=name:asc&pagination[pageSize]=100');
      assert.deepEqual((cats.body.data as Array<{ slug: string }>).map((x) => x.slug), ['main', 'other']);
      const tags = await get('/api/tags?locale=en&fields[0]=name&fields[1]=slug&sort=name:asc&pagination[pageSize]=200');
      assert.equal(tags.status, 200);
      assert.equal((tags.body.data as Entry[]).length, TAGS + 1);
      const plans = await get('/api/plans?locale=en&fields[0]=name&fields[1]=slug&fields[2]=description&fields[3]=interval&fields[4]=price&fields[5]=currency&fields[6]=allAccess&sort=price:asc');
      assert.deepEqual((plans.body.data as Array<{ slug: string }>).map((p) => p.slug), planIds.map((_, i) => `budget-plan-${i}`));
    });

    test('the README’s examples', async () => {
      const readme = await get('/api/courses?populate[instructor]=true&populate[tags]=true&populate[category]=true&populate[chapters][fields][0]=title&populate[chapters][fields][1]=position&populate[chapters][fields][2]=isPreview');
      assert.equal(readme.status, 200, readme.text);
      const first = (readme.body.data as Array<{ tags: Entry[]; category: Entry; instructor: Entry; chapters: Entry[] }>)[0]!;
      assert.ok(first.tags.length > 0 && first.category && first.instructor && first.chapters.length > 0);
      const mixed = await get('/api/courses?populate[0]=instructor&populate[1]=tags&populate[chapters][fields][0]=title');
      assert.equal(mixed.status, 400, 'a list mixed with named entries silently populated nothing before');
      assert.match(mixed.body.error?.message ?? '', /write populate\[instructor\]=true/);
      const byCategory = await get('/api/courses?locale=en&filters[category][slug][$eq]=other');
      assert.equal((byCategory.body.data as Entry[]).length, 2);
      const one = await get(`/api/courses/${courses[0]!.documentId}?populate=chapters`);
      assert.equal((one.body.data as { chapters: Entry[] }).chapters.length, CHAPTERS);
      const chapters = await get(`/api/chapters?filters[course][slug][$eq]=${courses[0]!.slug}&sort=position`);
      assert.deepEqual((chapters.body.data as Array<{ position: number }>).map((c) => c.position), [1, 2, 3, 4, 5, 6]);
      for (const url of ['/api/categories', '/api/tags', '/api/plans']) assert.equal((await get(url)).status, 200, url);
      assert.equal((await get('/api/chapters?filters[body][$contains]=secret')).status, 400, 'the paywall’s refusal stands');
    });

    test('users-permissions: /api/users/me populates within the budget', async () => {
      const me = await get('/api/users/me?populate=role', learner.auth);
      assert.equal(me.status, 200, me.text);
      const user = me.body as unknown as { email: string; role?: unknown };
      assert.equal(user.email, learner.email);
      assert.equal(user.role, undefined, 'a learner may not read roles: users-permissions drops the relation');
      const deep = await get('/api/users/me?populate[role][populate][users][populate][role][populate]=users', learner.auth);
      assert.equal(deep.status, 400, deep.text);
      assert.match(deep.body.error?.message ?? '', /QUERY_MAX_POPULATE_DEPTH/);
      const malformed = await get('/api/users/me?filters[$and]=1', learner.auth);
      assert.equal(malformed.status, 400, malformed.text);
    });

    test('users-permissions and upload lists, once a role may read them, are under the same checks', async () => {
      // No role is granted these in this app; an operator may grant them. Grant them to a fresh
      // role for one user, as an editor would in the admin panel.
      const role = await app.strapi.db.query('plugin::users-permissions.role').create({ data: { name: 'Budget readers', type: 'budget-readers', description: 'test' } });
      for (const action of ['plugin::users-permissions.user.find', 'plugin::upload.content-api.find']) {
        await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role: role.id } });
      }
      const reader = await createUser(app);
      await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: reader.id }, data: { role: role.id } });
      const users = await get('/api/users?fields[0]=username', reader.auth);
      assert.equal(users.status, 200, users.text);
      assert.ok((users.body as unknown as Entry[]).some((u) => u.username === reader.username));
      for (const url of ['/api/users?filters[$and]=1', '/api/users?filters[username][$between]=a', '/api/users?limit=abc', '/api/upload/files?filters[$or][0]=x', '/api/upload/files?sort[name][x]=asc']) {
        const res = await get(url, reader.auth);
        assert.equal(res.status, 400, `${url}: ${res.text}`);
        assert.ok(res.body.error?.message, url);
      }
      const deep = await get('/api/upload/files?populate[related][on][api::course.course][populate]=chapters.course.tags', reader.auth);
      assert.equal(deep.status, 400, deep.text);
      assert.match(deep.body.error?.message ?? '', /QUERY_MAX_POPULATE_DEPTH/);
      const files = await get('/api/upload/files', reader.auth);
      assert.equal(files.status, 200, files.text);
    });
  });

  test('/_health answers while the heaviest allowed request is in flight', async () => {
    const heavy = app.http().get('/api/courses?populate=*&pagination[pageSize]=100').then((r) => r);
    const health = app.http().get('/_health').then((r) => r);
    const [h, r] = await Promise.all([health, heavy]);
    assert.equal(h.status, 204);
    assert.equal(r.status, 200);
    assert.equal((r.body.data as Entry[]).length, COURSES + others.length);
  });
});
