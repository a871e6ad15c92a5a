/**
 * The storefront in `public/`, driven in headless Chromium against the real app on a loopback
 * port: catalogue in both languages, locked and preview chapters, register and log in, a purchase
 * completed by a signed Stripe webhook (loopback fake of Stripe's API), progress, recommendations.
 *
 * Skipped with a message when no Chromium is installed; under CI=true a missing Chromium fails.
 * `SCREENSHOTS=1` (`npm run screenshots`) also writes the screenshots committed in `public/screenshots/`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, launchChromium, screenshotPath, SCREENSHOTS_REQUESTED } from '../support/browser';
import { startStorefrontServer, type StorefrontServer } from '../support/storefront-server';
import { createCourse, type BuiltCourse } from '../support/builders';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { postWebhook, stripeEvent } from '../support/checkout-events';
import { APP_DIR, type TestApp } from '../support/strapi';

// Callbacks passed to page.evaluate/waitForFunction run in the browser. The tests' tsconfig has no
// DOM lib (adding it would change every other test file's globals), so the few browser globals
// they touch are declared here, in this module's scope only.
interface BrowserElement {
  id: string;
  tagName: string;
  src?: string;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  closest(selector: string): BrowserElement | null;
}
declare const document: {
  documentElement: BrowserElement & { lang: string; scrollWidth: number; clientWidth: number };
  activeElement: BrowserElement | null;
  querySelector<T = BrowserElement>(selector: string): T | null;
  querySelectorAll(selector: string): BrowserElement[] & { length: number };
};
declare const location: { hash: string };
declare const localStorage: { getItem(key: string): string | null };
declare const window: Record<string, unknown>;

const skip = browserSkipReason('Storefront browser test');
const SCREENSHOTS = SCREENSHOTS_REQUESTED;
const WEBHOOK_SECRET = `whsec_test_${randomBytes(16).toString('hex')}`;
/**
 * Demo catalogue (categories, tags, plans, zh-Hans) plus small extra courses: more than one page of
 * 12 either way. Screenshots for the README use more of the demo catalogue instead of fillers.
 */
const DEMO_COURSES = SCREENSHOTS ? 16 : 4;
const EXTRA_COURSES = SCREENSHOTS ? 0 : 8;
/** In the bodies of the paid course's locked chapters only: must never reach a browser without access. */
const LOCKED_MARKERS = [`LOCKED-MARKER-${randomBytes(6).toString('hex')}`, `LOCKED-MARKER-${randomBytes(6).toString('hex')}`];
const TITLE = 'Testing Web Apps in a Real Browser';
const TITLE_ZH = '在真实浏览器中测试网页应用';
const TOTAL_COURSES = DEMO_COURSES + EXTRA_COURSES + 1;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first published free course of the demo seed (English), with its chapters in order. */
async function demoFreeCourse(app: TestApp): Promise<BuiltCourse> {
  const c = (await app.strapi.documents('api::course.course').findFirst({
    locale: 'en',
    status: 'published',
    filters: { access: 'free' },
    populate: { chapters: { sort: ['position:asc'] } },
  } as never)) as unknown as { documentId: string; slug: string; title: string; chapters: BuiltCourse['chapters'] } | null;
  if (!c || c.chapters.length === 0) throw new Error('the demo seed has no free course with chapters');
  return { documentId: c.documentId, slug: c.slug, title: c.title, chapters: c.chapters };
}

/** Waits until the catalogue shows the results for the current address. */
async function resultsReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const results = document.querySelector('.results');
    return Boolean(results && results.dataset.for === (location.hash || '#/') && !results.hasAttribute('aria-busy'));
  });
}

describe('storefront in a browser', { skip }, () => {
  let server: StorefrontServer;
  const consoleErrors: string[] = [];
  const eventAnswers: number[] = [];
  let fake: FakeStripe;
  let browser: Browser;
  let paid: BuiltCourse;
  let freeCourse: BuiltCourse;
  const pageErrors: string[] = [];
  /** Every API response body the browser received, to prove locked content never reached it. */
  const apiBodies: Array<{ url: string; body: Promise<string>; learner: boolean }> = [];

  before(async () => {
    fake = await startFakeStripe();
    server = await startStorefrontServer({
      courses: DEMO_COURSES,
      env: (baseUrl) => ({
        STRIPE_SECRET_KEY: fake.apiKey,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_BASE: fake.url,
        CHECKOUT_ALLOWED_ORIGINS: baseUrl,
      }),
    });
    const programming = await server.app.strapi.db.query('api::category.category').findOne({ where: { slug: 'programming', locale: 'en' } });
    for (let i = 0; i < EXTRA_COURSES; i++) {
      const extra = await createCourse(server.app, { title: `Extra course ${i + 1}`, access: 'free', chapters: [{ isPreview: true }] });
      if (i === 0) freeCourse = extra;
    }
    // For screenshots there are no filler courses: a free course of the demo seed instead.
    if (EXTRA_COURSES === 0) freeCourse = await demoFreeCourse(server.app);
    paid = await createCourse(server.app, {
      category: programming?.documentId,
      title: TITLE,
      summary: 'Drive a real Chromium from your test suite: find the bugs users would find, before they do.',
      access: 'paid',
      price: 2500,
      currency: 'usd',
      level: 'intermediate',
      chapters: [
        {
          title: 'Why test in a real browser',
          isPreview: true,
          duration: 12,
          body: [
            '## Why test in a real browser',
            '',
            'Unit tests check functions; users click pages. PREVIEW-BODY-TEXT with **bold** and <script>window.__xss = 1</script> kept as text.',
            '',
            '1. Start the app on a loopback port.',
            '2. Drive the pages the way a user would.',
            '3. Assert what the user sees, and what must *not* be there.',
          ].join('\n'),
        },
        { title: 'Driving Chromium with Playwright', duration: 25, body: `## Driving Chromium\n\nLaunch the system's Chromium headless and open a page.\n\n${LOCKED_MARKERS[0]}` },
        { title: 'Checks that catch real bugs', duration: 18, body: `## Checks that catch real bugs\n\nAccessibility, leaks, layout.\n\n${LOCKED_MARKERS[1]}` },
      ],
      zh: { title: TITLE_ZH, summary: '在测试中驱动真实的 Chromium：在用户之前发现问题。', chapterTitle: (i) => ['为什么要在真实浏览器中测试', '用 Playwright 驱动 Chromium', '能发现真实问题的检查'][i] ?? `第${i + 1}章` },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  async function newContext(options: { learner?: boolean; width?: number; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      locale: options.locale ?? 'en-US',
      baseURL: server.baseUrl,
    });
    // The fake Checkout page Stripe would show: the test pays through the webhook instead.
    await context.route('https://checkout.stripe.test/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Stripe Checkout (test)</title><h1>Stripe Checkout (test)</h1>' })
    );
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // Script errors logged by the storefront itself. Chromium also logs every 4xx answer as
    // "Failed to load resource"; those are checked per route below (a wrong password is a 400 on purpose).
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) consoleErrors.push(msg.text());
    });
    page.on('requestfinished', async (req) => {
      if (!req.url().includes('/api/recommendations/events')) return;
      const res = await req.response();
      eventAnswers.push(res?.status() ?? 0);
    });
    page.on('response', (res) => {
      if (res.url().includes('/api/') && res.request().resourceType() !== 'document') {
        apiBodies.push({ url: res.url(), body: res.text().catch(() => ''), learner: Boolean(options.learner) });
      }
    });
    return { context, page };
  }

  async function shot(page: Page, name: string, fullPage = true): Promise<void> {
    if (!SCREENSHOTS) return;
    await page.screenshot({ path: screenshotPath(`storefront-${name}.png`), fullPage });
  }


  test('the storefront answers at / with no inline script and a strict CSP', async () => {
    const res = await fetch(`${server.baseUrl}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<script type="module" src="js\/app\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>(?!<)/, 'no inline script');
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  test('catalogue in English: search, filters and pagination', async () => {
    const { context, page } = await newContext();
    try {
      await page.goto('/');
      await resultsReady(page);
      const total = TOTAL_COURSES;
      assert.equal((await page.locator('.results-count').innerText()).trim(), `${total} courses`);
      assert.equal(await page.locator('.results .card').count(), 12);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await shot(page, 'home');

      // Page 2 by its link: the address carries the page.
      await page.locator('.pagination a', { hasText: '2' }).first().click();
      await page.waitForURL(/#\/\?page=2$/);
      await resultsReady(page);
      assert.equal(await page.locator('.results .card').count(), total - 12);
      assert.equal(await page.locator('.page-current').innerText(), '2');

      // Search by title.
      await page.fill('#filter-q', 'real browser');
      await page.press('#filter-q', 'Enter');
      await page.waitForURL(/q=real/);
      await resultsReady(page);
      assert.equal(await page.locator('.results-count').innerText(), '1 course');
      assert.deepEqual(await page.locator('.results .card-title').allInnerTexts(), [TITLE]);
      assert.equal(await page.locator('#filter-q').inputValue(), 'real browser', 'the form keeps the query');

      // Filters: free only, then a category (options come from /api/categories).
      await page.goto('/#/?access=free');
      await resultsReady(page);
      const prices = await page.locator('.results .price').allInnerTexts();
      assert.ok(prices.length > 0 && prices.every((p) => p === 'Free'), `only free courses: ${prices.join(', ')}`);
      await page.goto('/#/');
      await page.locator('#filter-category option[value="programming"]').waitFor({ state: 'attached' });
      await page.selectOption('#filter-category', 'programming');
      await page.waitForURL(/category=programming/);
      await resultsReady(page);
      const cards = await page.locator('.results .card').count();
      assert.ok(cards > 0 && cards < total, 'the category narrows the list');
      assert.ok((await page.locator('.results .card-title').allInnerTexts()).includes(TITLE));
      const category = (await page.locator('#filter-category option[value="programming"]').innerText()).trim();
      const labels = await page.locator('.results .cover-label').allInnerTexts();
      assert.ok(labels.every((l) => l.toLowerCase() === category.toLowerCase()), `${category}: ${labels.join(', ')}`);
      // A filter that matches nothing says so and offers to clear.
      await page.goto('/#/?q=zzzz-no-such-course');
      await resultsReady(page);
      assert.match(await page.locator('.state-empty').innerText(), /No course matches/);
      // …next to the search box too, where the reader is looking, with what to try.
      const hint = page.locator('.field-search .search-hint');
      assert.equal(await hint.innerText(), 'No course matches “zzzz-no-such-course”. Try fewer or other words, or clear the filters.');
      assert.equal(await page.locator('#filter-q').getAttribute('aria-describedby'), 'search-hint');
      await page.goto('/#/?q=real');
      await resultsReady(page);
      assert.equal(await hint.count(), 0, 'the hint goes once there are results');
    } finally {
      await context.close();
    }
  });

  test('the language switch changes interface text and content (zh-Hans)', async () => {
    const { context, page } = await newContext();
    try {
      await page.goto('/');
      await page.locator('.results .card').first().waitFor();
      await page.locator('button.lang-option[data-locale="zh-Hans"]').click();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
      await page.locator('.results-count', { hasText: '门课程' }).waitFor();
      assert.equal(await page.locator('.site-nav a').first().innerText(), '课程目录');
      assert.equal(await page.locator('button.lang-option[data-locale="zh-Hans"]').getAttribute('aria-pressed'), 'true');
      await resultsReady(page);
      // Recommendations fall back to English for untranslated courses and say so on the card.
      await page.locator('.for-you .card, .for-you .state-empty, .for-you .state-unavailable').first().waitFor();
      const forYou = await page.locator('.for-you .card').evaluateAll((els) =>
        els.map((el) => ({ locale: (el as unknown as BrowserElement).dataset.locale ?? null, badge: (el as unknown as { querySelector(s: string): { textContent: string | null } | null }).querySelector('.lang-badge')?.textContent ?? null })));
      assert.ok(forYou.length > 0, 'recommendations shown in Chinese mode');
      for (const card of forYou) {
        if (card.locale === null) assert.equal(card.badge, null, 'a card in Chinese has no marker');
        else assert.equal(card.badge, 'English', `a card in ${card.locale} is marked`);
      }
      assert.ok(forYou.some((c) => c.locale === 'en'), `the demo has untranslated courses among the recommendations: ${JSON.stringify(forYou)}`);
      await shot(page, 'home-zh');
      // Courses without a translation are not hidden silently: the last page says how many exist in English.
      const pages = (await page.locator('.page-list li').count()) > 0 ? Number(await page.locator('.page-list li').last().innerText()) : 1;
      if (pages > 1) {
        await page.goto(`/#/?page=${pages}`);
        await resultsReady(page);
      }
      await page.locator('.more-in-english button').waitFor();
      // Search works on Chinese titles, and finds the Chinese version of the course.
      await page.goto(`/#/?q=${encodeURIComponent('真实浏览器')}`);
      await resultsReady(page);
      const titles = await page.locator('.results .card-title').allInnerTexts();
      assert.deepEqual(titles, [TITLE_ZH]);

      // The choice is remembered, and the course page is in Chinese too.
      await page.goto(`/#/course/${paid.slug}`);
      await page.locator('h1', { hasText: TITLE_ZH }).waitFor();
      assert.equal(await page.locator('.chapter-list .chapter-title').first().innerText(), '为什么要在真实浏览器中测试');
      assert.equal(await page.locator('.buy-price').innerText(), 'US$25.00');

      await page.locator('button.lang-option[data-locale="en"]').click();
      await page.locator('h1', { hasText: TITLE }).waitFor();
      assert.equal(await page.locator('.buy-price').innerText(), '$25.00');
    } finally {
      await context.close();
    }
  });

  test('course page: locked chapters show a lock and no content; the preview is readable', async () => {
    const { context, page } = await newContext();
    try {
      await page.goto(`/#/course/${paid.slug}`);
      await page.locator('.chapter-list').waitFor();
      const states = await page.locator('.chapter').evaluateAll((els) => els.map((el) => (el as unknown as BrowserElement).dataset.state));
      assert.deepEqual(states, ['preview', 'locked', 'locked']);
      assert.equal(await page.locator('.chapter-locked .icon-lock').count(), 2);
      assert.equal(await page.locator('.chapter-locked a').count(), 0, 'a locked chapter is not a link');
      assert.equal(await page.locator('[data-action="login-to-buy"]').count(), 1, 'anonymous: log in to buy');
      await shot(page, 'course');

      await page.locator('.chapter-preview a.chapter-title').click();
      await page.locator('.chapter-body').waitFor();
      const body = await page.locator('.chapter-body').innerText();
      assert.match(body, /PREVIEW-BODY-TEXT with bold/);
      assert.match(body, /<script>window.__xss = 1<\/script>/, 'HTML in markdown is shown as text');
      assert.equal(await page.evaluate(() => window.__xss), undefined, 'and never runs');
      assert.equal(await page.locator('.chapter-body strong').innerText(), 'bold');
      await shot(page, 'chapter-preview');

      // A locked chapter by its address: the lock, never the text.
      await page.goto(`/#/course/${paid.slug}/chapter/${paid.chapters[1]!.documentId}`);
      await page.locator('.locked-panel').waitFor();
      assert.equal(await page.locator('article.reader').getAttribute('data-locked'), 'true');
      await shot(page, 'chapter-locked');
      const html = await page.content();
      for (const marker of LOCKED_MARKERS) assert.ok(!html.includes(marker), 'locked text is not in the page');
    } finally {
      await context.close();
    }
  });

  describe('a learner', () => {
    let context: BrowserContext;
    let page: Page;
    const username = `learner${randomBytes(3).toString('hex')}`;
    const email = `${username}@example.test`;
    const password = 'Passw0rd!storefront';
    const jwt = () => page.evaluate(() => localStorage.getItem('kp.jwt'));
    const api = async (urlPath: string) => {
      const res = await fetch(`${server.baseUrl}${urlPath}`, { headers: { Authorization: `Bearer ${await jwt()}` } });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };

    before(async () => {
      ({ context, page } = await newContext({ learner: true }));
    });
    after(async () => {
      await context?.close();
    });

    test('registers (with validation messages first), and is logged in', async () => {
      await page.goto('/#/register');
      await page.locator('#auth-username').waitFor();
      await page.fill('#auth-username', 'ab');
      await page.fill('#auth-email', 'not-an-email');
      await page.fill('#auth-password', 'short');
      await page.click('.auth-form button[type="submit"]');
      assert.equal(await page.locator('#auth-username').getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#auth-email-error').innerText(), /valid email/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'auth-username', 'focus on the first invalid field');
      await shot(page, 'register');

      await page.fill('#auth-username', username);
      await page.fill('#auth-email', email);
      await page.fill('#auth-password', password);
      await page.click('.auth-form button[type="submit"]');
      await page.locator('.account-name', { hasText: username }).waitFor();
      await page.waitForURL(/#\/library$/);
      assert.match(await page.locator('#flash').innerText(), new RegExp(`Welcome, ${username}`));
      const token = await jwt();
      assert.ok(token && token.split('.').length === 3, 'the JWT is kept in localStorage');
      const me = await api('/api/users/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.username, username);
    });

    test('logs out and logs in again; a wrong password shows the server message', async () => {
      await page.click('#logout');
      await page.locator('.account a', { hasText: 'Log in' }).waitFor();
      assert.equal(await jwt(), null);
      await page.goto('/#/login');
      await page.fill('#auth-identifier', email);
      await page.fill('#auth-password', 'wrong-password');
      await page.click('.auth-form button[type="submit"]');
      await page.locator('.form-status .notice-error').waitFor();
      assert.match(await page.locator('.form-status').innerText(), /Invalid identifier or password/);
      await page.fill('#auth-password', password);
      await page.click('.auth-form button[type="submit"]');
      await page.locator('.account-name', { hasText: username }).waitFor();
      await page.locator('#library-courses .state-empty').waitFor();
      assert.match(await page.locator('#library-courses').innerText(), /no courses yet/);
    });

    test('records progress on a preview chapter: mark complete, see it on the course and in the library', async () => {
      const chapter = paid.chapters[0]!;
      await page.goto(`/#/course/${paid.slug}/chapter/${chapter.documentId}`);
      const button = page.locator('#mark-complete');
      await button.waitFor();
      assert.equal(await button.getAttribute('data-completed'), 'false');
      await button.click();
      await page.locator('.completion-status', { hasText: 'Progress saved.' }).waitFor();
      assert.equal(await button.getAttribute('data-completed'), 'true');
      await page.locator('.completion-bar [role="progressbar"][aria-valuenow="33"]').waitFor();

      const progress = await api(`/api/progress/courses/${paid.documentId}`);
      assert.equal(progress.status, 200);
      const row = (progress.body.data.chapters as Array<{ documentId: string; completed: boolean }>).find((c) => c.documentId === chapter.documentId);
      assert.equal(row?.completed, true, 'saved on the server');

      await page.goto(`/#/course/${paid.slug}`);
      await page.locator(`.chapter[data-chapter="${chapter.documentId}"][data-state="completed"]`).waitFor();
      await page.goto('/#/library');
      await page.locator('#library-progress .card').first().waitFor();
      assert.match(await page.locator('#library-progress').innerText(), new RegExp(`${TITLE}[\\s\\S]*33% complete[\\s\\S]*Next: Driving Chromium with Playwright`));

      // A free course started: "Continue learning" and "Your courses" agree.
      const started = await fetch(`${server.baseUrl}/api/progress`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await jwt()}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ chapter: freeCourse.chapters[0]!.documentId, completed: true }),
      });
      assert.ok(started.status < 300, `progress on the free course: ${started.status} ${await started.text()}`);
      await page.reload(); // the library is the page already shown: read it again
      await page.locator('#library-courses .card').first().waitFor();
      const yours = await page.locator('#library-courses').innerText();
      assert.match(yours, new RegExp(`${escapeRegExp(freeCourse.title)}[\\s\\S]*Free course`));
      assert.doesNotMatch(yours, /no courses yet/);
      assert.match(await page.locator('#library-progress').innerText(), new RegExp(escapeRegExp(freeCourse.title)));
    });

    test('without Stripe configured, Buy shows the server’s message instead of failing', async () => {
      // Same app, Stripe key removed from the checkout plugin's live configuration for this test
      // (the plugin reads it per request), so one boot serves the whole file.
      const config = server.app.strapi.config.get('plugin::checkout.stripe') as Record<string, unknown>;
      server.app.strapi.config.set('plugin::checkout.stripe', { ...config, secretKey: '' });
      try {
        await page.goto(`/#/course/${paid.slug}`);
        await page.locator('[data-action="checkout"]').click();
        await page.locator('.checkout-status .notice-warning').waitFor();
        const shown = await page.locator('.checkout-status').innerText();
        assert.match(shown, /Payments are not available right now/);
        assert.doesNotMatch(shown, /STRIPE|environment|configured/i, 'no operator detail for a shopper');
        assert.equal(await page.locator('[data-action="checkout"]').isEnabled(), true, 'the button stays usable');
      } finally {
        server.app.strapi.config.set('plugin::checkout.stripe', config);
      }
    });

    test('buys a course: Stripe Checkout, a signed checkout.session.completed webhook, the chapter unlocks', async () => {
      await page.goto(`/#/course/${paid.slug}`);
      const buy = page.locator('[data-action="checkout"]');
      assert.equal((await buy.innerText()).trim(), 'Buy for $25.00');
      await buy.click();
      await page.waitForURL(/^https:\/\/checkout\.stripe\.test\/c\/pay\//);
      const sessionId = page.url().split('/').pop()!;
      const session = fake.sessions.get(sessionId);
      assert.ok(session, 'the checkout plugin created the session at (fake) Stripe');
      const successUrl = String(session.success_url);
      assert.ok(successUrl.startsWith(`${server.baseUrl}/?checkout=success&course=${paid.documentId}`), successUrl);

      // The learner comes back before the webhook: the return page waits.
      await page.goto(successUrl);
      await page.locator('.return-page[data-state="waiting"]').waitFor();
      await shot(page, 'checkout-return');

      // Stripe's side: the session is paid, and the signed event arrives.
      const paidSession = fake.paySession(sessionId);
      const res = await postWebhook(server.app, stripeEvent('checkout.session.completed', paidSession), { secret: WEBHOOK_SECRET });
      assert.equal(res.status, 200, JSON.stringify(res.body));

      await page.locator('.return-page[data-state="done"]').waitFor({ timeout: 15_000 });
      await page.locator('[data-action="open-course"]').click();
      await page.locator('.buy-box .owned').waitFor();
      assert.match(await page.locator('.buy-box .owned').innerText(), /You bought this course/);
      const states = await page.locator('.chapter').evaluateAll((els) => els.map((el) => (el as unknown as BrowserElement).dataset.state));
      assert.deepEqual(states, ['completed', 'open', 'open'], 'the preview was completed earlier; the rest unlocked');

      await page.locator(`.chapter[data-chapter="${paid.chapters[1]!.documentId}"] a`).click();
      await page.locator('.chapter-body').waitFor();
      const unlockedText = await page.locator(".chapter-body").innerText();
      assert.ok(unlockedText.includes(LOCKED_MARKERS[0]!) && unlockedText.includes("Launch the system"), "the unlocked chapter is readable");
      assert.equal(await page.locator('article.reader').getAttribute('data-locked'), 'false');

      // Progress on the chapter just unlocked.
      await page.locator('#mark-complete').click();
      await page.locator('.completion-bar [role="progressbar"][aria-valuenow="66"]').waitFor();
      await shot(page, 'chapter-unlocked');

      await page.goto('/#/library');
      await page.locator('#library-courses .card').first().waitFor();
      assert.match(await page.locator('#library-courses').innerText(), new RegExp(`${TITLE}[\\s\\S]*Purchased`));
      assert.match(await page.locator('#library-progress').innerText(), /66% complete[\s\S]*Next: Checks that catch real bugs/);
      await shot(page, 'library');
    });

    test('recommendations: "For you" and "Similar courses" show results with their reasons', async (t) => {
      const probe = await fetch(`${server.baseUrl}/api/recommendations?limit=4&locale=en`, { headers: { Authorization: `Bearer ${await jwt()}` } });
      await page.goto('/');
      await page.locator('.for-you .for-you-body').waitFor();
      if (probe.status === 404) {
        // The recommender's routes are not there yet: the page must say so quietly, and still work.
        assert.match(await page.locator('.for-you').innerText(), /Recommendations are not available right now/);
        await page.locator('.results .card').first().waitFor();
        t.skip('GET /api/recommendations answers 404: the recommender plugin has no routes yet (graceful message checked)');
        return;
      }
      assert.equal(probe.status, 200);
      await page.locator('.for-you .card').first().waitFor();
      const reasons = await page.locator('.for-you .reason').allInnerTexts();
      assert.ok(reasons.length > 0 && reasons.every((r) => r.trim().length > 0), `reasons shown: ${reasons.join(' | ')}`);
      const recommended = await page.locator('.for-you .card').evaluateAll((els) => els.map((el) => (el as unknown as BrowserElement).dataset.slug));
      assert.ok(!recommended.includes(paid.slug), 'an owned course is not recommended');
      await shot(page, 'home-for-you');

      // The visit reaches the server as one more 'view' of this course by this learner.
      const user = await server.app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { username } });
      const viewsNow = () =>
        server.app.strapi.db.query('plugin::recommender.interaction').count({ where: { user: user.id, courseDocumentId: paid.documentId, kind: 'view' } });
      const before = await viewsNow();
      await page.goto(`/#/course/${paid.slug}`);
      await page.locator('.similar .card, .similar .state-empty').first().waitFor();
      assert.ok((await page.locator('.similar .card').count()) > 0, 'similar courses listed');
      let views = before;
      for (let i = 0; i < 50 && views === before; i++) {
        views = await viewsNow();
        if (views === before) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(views, before + 1, 'the course page recorded one view');
      assert.ok(eventAnswers.length > 0 && eventAnswers.every((s) => s >= 200 && s < 300), `event answers: ${eventAnswers.join(', ')}`);

      // Like is a toggle with state: one row, kept across a reload, a second press takes it back.
      const likes = () =>
        server.app.strapi.db.query('plugin::recommender.interaction').count({ where: { user: user.id, courseDocumentId: paid.documentId, kind: 'like' } });
      const like = page.locator('.like-row button.like');
      await like.waitFor();
      assert.equal(await like.getAttribute('aria-pressed'), 'false');
      await like.click();
      await page.locator('.like-row button.like[aria-pressed="true"]').waitFor();
      assert.equal(await likes(), 1);
      await page.reload();
      await page.locator('.like-row button.like[aria-pressed="true"]').waitFor();
      assert.match(await page.locator('.like-row button.like').innerText(), /Liked/);
      assert.equal(await likes(), 1, 'a reload adds nothing');
      await page.locator('.like-row button.like').click();
      await page.locator('.like-row button.like[aria-pressed="false"]').waitFor();
      assert.equal(await likes(), 0, 'pressed again: unliked');
      await page.reload();
      await page.locator('.like-row button.like').waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('.like-row button.like').getAttribute('aria-pressed'), 'false');
    });

    test('plans page lists the subscription plans with a Subscribe button', async () => {
      await page.goto('/#/plans');
      await page.locator('.plan').first().waitFor();
      const names = await page.locator('.plan-name').allInnerTexts();
      assert.deepEqual(names, ['All access, monthly', 'All access, quarterly', 'All access, yearly']);
      assert.deepEqual(await page.locator('.plan-amount').allInnerTexts(), ['$15.00', '$39.00', '$150.00']);
      assert.equal(await page.locator('.plan [data-action="checkout"]').count(), 3);
      await shot(page, 'plans');
    });

    test('currency: a course with an EUR price is shown and charged in EUR once the learner picks EUR; a course without one keeps its default', async () => {
      const euro = await createCourse(server.app, { title: 'Pricing in Several Currencies', access: 'paid', price: 3000, currency: 'usd', extraPrices: [{ currency: 'eur', amount: 2700 }], chapters: 2 });
      const plain = await createCourse(server.app, { title: 'Priced in Dollars Only', access: 'paid', price: 1500, currency: 'usd', chapters: 2 });
      /** The bodies of the checkout requests the storefront sent. */
      const checkoutBodies: Array<Record<string, unknown>> = [];
      const onRequest = (req: { url(): string; method(): string; postData(): string | null }) => {
        if (req.method() === 'POST' && req.url().endsWith('/api/checkout/sessions')) checkoutBodies.push(JSON.parse(req.postData() ?? '{}') as Record<string, unknown>);
      };
      page.on('request', onRequest);
      try {
        // An en-US browser, nothing picked yet: USD suggested, the default USD price shown.
        await page.goto(`/#/course/${euro.slug}`);
        await page.locator('.buy-price').waitFor();
        assert.equal(await page.locator('#currency-select').inputValue(), 'usd');
        assert.equal(await page.locator('.buy-price').innerText(), '$30.00');
        assert.equal((await page.locator('[data-action="checkout"]').innerText()).trim(), 'Buy for $30.00');

        // The learner picks EUR: the course's EUR price, on the price and on the button; remembered.
        await page.selectOption('#currency-select', 'eur');
        await page.locator('.buy-price[data-currency="eur"]').waitFor();
        assert.equal(await page.locator('.buy-price').innerText(), '€27.00');
        assert.equal((await page.locator('[data-action="checkout"]').innerText()).trim(), 'Buy for €27.00');
        assert.equal(await page.evaluate(() => localStorage.getItem('kp.currency')), 'eur');
        await page.reload();
        await page.locator('.buy-price').waitFor();
        assert.equal(await page.locator('.buy-price').innerText(), '€27.00', 'the choice survives a reload');
        assert.equal(await page.locator('#currency-select').inputValue(), 'eur');

        // Catalogue cards: the EUR price where the course has one, the default elsewhere.
        await page.goto(`/#/?q=${encodeURIComponent('Pricing in Several')}`);
        await resultsReady(page);
        assert.deepEqual(await page.locator('.results .card .price').allInnerTexts(), ['€27.00']);
        await page.goto(`/#/?q=${encodeURIComponent('Dollars Only')}`);
        await resultsReady(page);
        assert.deepEqual(await page.locator('.results .card .price').allInnerTexts(), ['$15.00']);

        // Buy in EUR: the session at (fake) Stripe is in EUR for the EUR amount, and so is the order.
        await page.goto(`/#/course/${euro.slug}`);
        await page.locator('[data-action="checkout"]').click();
        await page.waitForURL(/^https:\/\/checkout\.stripe\.test\/c\/pay\//);
        const euroSession = fake.sessions.get(page.url().split('/').pop()!);
        assert.ok(euroSession, 'the session exists at (fake) Stripe');
        assert.deepEqual([euroSession.currency, euroSession.amount_total], ['eur', 2700]);
        const euroOrder = (await server.app.strapi.db.query('plugin::checkout.order').findOne({ where: { checkoutSessionId: euroSession.id } })) as { amount: number; currency: string };
        assert.deepEqual([euroOrder.amount, euroOrder.currency], [2700, 'eur']);

        // A course without an EUR price, EUR still picked: the default USD price, shown and charged, no currency sent.
        await page.goto(`/#/course/${plain.slug}`);
        await page.locator('.buy-price').waitFor();
        assert.equal(await page.locator('.buy-price').innerText(), '$15.00');
        assert.equal(await page.locator('.buy-price').getAttribute('data-currency'), 'usd');
        assert.equal((await page.locator('[data-action="checkout"]').innerText()).trim(), 'Buy for $15.00');
        await page.locator('[data-action="checkout"]').click();
        await page.waitForURL(/^https:\/\/checkout\.stripe\.test\/c\/pay\//);
        const usdSession = fake.sessions.get(page.url().split('/').pop()!);
        assert.deepEqual([usdSession?.currency, usdSession?.amount_total], ['usd', 1500]);

        assert.deepEqual(checkoutBodies.map((b) => [b.course, b.currency ?? null]), [[euro.documentId, 'eur'], [plain.documentId, null]], 'currency sent exactly for the extra price');
      } finally {
        page.off('request', onRequest);
      }

      // Before any choice, the browser's language suggests the currency: de-DE → EUR, en-GB → GBP
      // (not offered by this course: its default USD).
      for (const [locale, selected, shown] of [['de-DE', 'eur', '€27.00'], ['en-GB', 'gbp', '$30.00']] as const) {
        const other = await newContext({ locale });
        try {
          await other.page.goto(`/#/course/${euro.slug}`);
          await other.page.locator('.buy-price').waitFor();
          assert.equal(await other.page.locator('#currency-select').inputValue(), selected, locale);
          assert.equal(await other.page.locator('.buy-price').innerText(), shown, locale);
        } finally {
          await other.context.close();
        }
      }
    });
  });

  test('mobile layout: on a phone the search box is near the top, recommendations after the results', async () => {
    const { context, page } = await newContext({ width: 390 });
    try {
      await page.goto('/');
      await page.locator('.results .card').first().waitFor();
      const box = await page.locator('#filter-q').boundingBox();
      assert.ok(box && box.y < 700, `the search box starts at ${box?.y} px`);
      const order = await page.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => (s as unknown as { getAttribute(n: string): string | null }).getAttribute('class') ?? ''));
      assert.ok(order.findIndex((c) => c.includes('catalogue')) < order.findIndex((c) => c.includes('for-you')), order.join(' / '));
    } finally {
      await context.close();
    }
  });

  test('mobile layout: the course page fits a phone screen', async () => {
    const { context, page } = await newContext({ width: 390 });
    try {
      await page.goto(`/#/course/${paid.slug}`);
      await page.locator('.chapter-list').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
      await shot(page, 'course-mobile');
    } finally {
      await context.close();
    }
  });

  test('accessibility basics: skip link, labelled controls, alt text, one h1 per page', async () => {
    const { context, page } = await newContext();
    try {
      for (const address of ['/', `/#/course/${paid.slug}`, '/#/login', '/#/register', '/#/plans']) {
        await page.goto(address);
        await page.locator('main h1').waitFor();
        await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
        const problems = await page.evaluate(() => {
          const out: string[] = [];
          for (const el of document.querySelectorAll('input, select, textarea')) {
            const id = el.getAttribute('id');
            const labelled = (id && document.querySelector(`label[for="${id}"]`)) || el.getAttribute('aria-label') || el.closest('label');
            if (!labelled) out.push(`unlabelled ${el.tagName} ${el.getAttribute('name')}`);
          }
          for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) out.push(`img without alt ${img.src}`);
          for (const b of document.querySelectorAll('button, a')) if (!(b.textContent ?? '').trim() && !b.getAttribute('aria-label')) out.push(`unnamed ${b.tagName}`);
          if (document.querySelectorAll('main h1').length !== 1) out.push('not exactly one h1');
          if (!document.querySelector('header nav') || !document.querySelector('main') || !document.querySelector('footer')) out.push('landmarks missing');
          return out;
        });
        assert.deepEqual(problems, [], address);
      }
      // Keyboard: the first Tab reaches the skip link, which moves focus to the page, not the URL.
      await page.goto('/');
      await page.locator('.results .card').first().waitFor();
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'skip-link');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
      assert.equal(new URL(page.url()).hash, '', 'the route did not change');
      // After a navigation by keyboard the page's h1 has the focus, without a ring drawn around it.
      // (Once the page has loaded: a card re-drawn by a late answer loses the focus given before.)
      await page.waitForLoadState('networkidle');
      // The focus moves as soon as the heading is drawn, not once every section has loaded: the
      // course page's similar courses answer 3 s late here, and the h1 has the focus before.
      let similarAnswered = false;
      await page.route('**/api/recommendations/courses/*/similar*', async (route) => {
        await new Promise((r) => setTimeout(r, 3000));
        await route.continue();
        similarAnswered = true;
      });
      await page.locator('.results .card-link').first().focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1', undefined, { timeout: 2500 });
      assert.equal(similarAnswered, false, 'the h1 took the focus before the similar courses answered');
      assert.equal(await page.locator('.similar .state-loading').count(), 1, 'the similar courses are still loading');
      const outline = await page.evaluate(() => {
        const el = document.activeElement as unknown as { matches(s: string): boolean };
        const styleOf = (globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }).getComputedStyle;
        return { style: styleOf(document.activeElement).outlineStyle, visible: el.matches(':focus-visible') };
      });
      assert.equal(outline.style, 'none', `focus ring on the h1 (focus-visible: ${outline.visible})`);
      // Tabbing on before they arrive: the late answer leaves the focus where the reader moved it.
      await page.keyboard.press('Tab');
      const moved = await page.evaluate(() => (document.activeElement as unknown as { outerHTML: string } | null)?.outerHTML.slice(0, 120));
      assert.ok(moved && !moved.startsWith('<h1'), `the Tab moved the focus on: ${moved}`);
      await page.waitForFunction(() => !document.querySelector('.similar .state-loading'), undefined, { timeout: 10_000 });
      assert.equal(await page.evaluate(() => (document.activeElement as unknown as { outerHTML: string } | null)?.outerHTML.slice(0, 120)), moved, 'the focus stayed where the reader tabbed');
      await page.unroute('**/api/recommendations/courses/*/similar*');
    } finally {
      await context.close();
    }
  });

  test('no page errors; no locked chapter text ever reached the browser before the purchase', async () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, [], 'no page logged an error to the console');
    const anonymousBodies = await Promise.all(apiBodies.filter((b) => !b.learner).map((b) => b.body));
    assert.ok(anonymousBodies.length > 20, `API responses recorded (${anonymousBodies.length})`);
    for (const marker of LOCKED_MARKERS) {
      assert.ok(!anonymousBodies.some((b) => b.includes(marker)), 'locked text never sent to an anonymous browser');
    }
  });
});
