/**
 * The editors' side of the review workflow in a real browser: an editor (the Editor role, given
 * the review permissions by a super admin) logs in to the admin panel, opens Course review, sees
 * the instructors' submissions, approves one (then the course is public over REST) and requests
 * changes on another through the comment form. Saves the screenshots the README shows.
 *
 * Needs Chromium (skipped with a message when absent, failed under CI=true) and the built admin
 * panel (built here when missing or older than its sources).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { APP_DIR, bootApp, type TestApp } from '../support/strapi';
import { createAdmin, createCourse, createInstructor, type TestAdmin, type TestInstructor } from '../support/builders';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { browserSkipReason, ensureAdminBuild, launchChromium, listen, screenshotPath } from '../support/browser';
import { authorCourse, createTaxonomy, grantReviewPermissions, submitCourse, type AuthoredCourse } from '../support/review-fixtures';

const skip = browserSkipReason('Course review browser test');


/** Closes Strapi's own announcement banner, if any, and moves the mouse off the menu, so that screenshots show the page. */
async function tidyForScreenshot(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: /close the banner/i });
  if ((await close.count()) > 0) await close.first().click({ timeout: 2000 }).catch(() => undefined);
  await page.mouse.move(900, 800);
}

describe('Course review in the admin panel', { skip }, () => {
  let app: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let editor: TestAdmin;
  let ada: TestInstructor;
  let grace: TestInstructor;
  let toApprove: AuthoredCourse;
  let toSendBack: AuthoredCourse;
  let fake: FakeStripe;
  const pageErrors: string[] = [];

  before(async () => {
    ensureAdminBuild();
    // Stripe on loopback: what an editor sells is synchronised to the catalogue as in production.
    fake = await startFakeStripe();
    app = await bootApp({ serveAdminPanel: true, env: { STRIPE_SECRET_KEY: fake.apiKey, STRIPE_API_BASE: fake.url } });
    base = await listen(app);
    const superAdmin = await createAdmin(app);
    editor = await createAdmin(app, 'strapi-editor');
    await grantReviewPermissions(app, superAdmin, 'strapi-editor');

    const taxonomy = await createTaxonomy(app);
    ada = await createInstructor(app, 'Ada Lovelace');
    grace = await createInstructor(app, 'Grace Hopper');
    toApprove = await authorCourse(app, ada, { title: 'Practical TypeScript for busy developers', taxonomy });
    toSendBack = await authorCourse(app, grace, { title: 'Compilers from first principles', taxonomy });
    // No tags or category: a recommended check fails, the queue shows a warning.
    const third = await authorCourse(app, grace, { title: 'COBOL for the curious' });
    for (const [who, c] of [[ada, toApprove], [grace, toSendBack], [grace, third]] as const) await submitCourse(app, who, c.documentId);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  after(async () => {
    await browser?.close();
    if (app) {
      const upload = app.strapi.plugin('upload').service('upload');
      for (const f of await app.strapi.db.query('plugin::upload.file').findMany({ select: ['id'] })) {
        const file = await upload.findOne(f.id);
        if (file) await upload.remove(file).catch(() => undefined);
      }
      await app.close();
    }
    await fake?.close();
  });

  test('the editor logs in and sees the queue with instructor, time and check results', async () => {
    await page.goto(`${base}/admin/auth/login`);
    await page.getByLabel(/email/i).fill(editor.email);
    await page.getByLabel(/^password/i).fill(editor.password);
    await page.getByRole('button', { name: /^log ?in$/i }).click();
    await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 30_000 });

    await page.getByRole('link', { name: 'Course review' }).first().click();
    await page.waitForURL(/\/admin\/plugins\/review/);
    const row = page.getByRole('row').filter({ hasText: toApprove.title });
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /Ada Lovelace/);
    assert.match(await row.innerText(), /all checks passed/i);
    assert.match(await row.innerText(), /in review/i);
    assert.match(await page.getByRole('row').filter({ hasText: 'COBOL for the curious' }).innerText(), /1 warning/i);
    await tidyForScreenshot(page);
    await page.screenshot({ path: screenshotPath('review-queue.png') });

    // Filtering by instructor narrows the queue.
    await page.getByRole('combobox', { name: 'Instructor' }).click();
    await page.getByRole('option', { name: 'Grace Hopper' }).click();
    await page.getByRole('row').filter({ hasText: toApprove.title }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('row').filter({ hasText: toSendBack.title }).count(), 1);
    await page.getByRole('combobox', { name: 'Instructor' }).click();
    await page.getByRole('option', { name: 'Any' }).click();
    await row.waitFor();
  });

  test('approving from the review page publishes the course', async () => {
    assert.equal((await app.http().get(`/api/courses/${toApprove.documentId}`)).status, 404, 'not public before approval');
    await page.getByRole('row').filter({ hasText: toApprove.title }).getByRole('button', { name: /Review/ }).click();
    const modal = page.getByRole('dialog');
    await modal.getByText('Chapter 3').waitFor();
    await modal.getByText(/The course has a cover image/).waitFor();
    await page.screenshot({ path: screenshotPath('review-submission.png') });
    await modal.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Approve and publish' }).click();
    await page.getByText('Approved: the course is published.').waitFor();

    const res = await app.http().get(`/api/courses/${toApprove.documentId}`).query({ populate: { chapters: { fields: ['title'] } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.title, toApprove.title);
    assert.equal(res.body.data.chapters.length, 3);
    const events = await app.strapi.db.query('plugin::review.review-event').findMany({ where: { courseDocumentId: toApprove.documentId, action: 'approve' } });
    assert.equal(events.length, 1);
    assert.equal(events[0].actorId, editor.id, 'recorded as the editor who clicked');
    await page.keyboard.press('Escape');
  });

  test('request changes through the UI needs a comment, then reaches the instructor', async () => {
    await page.getByRole('row').filter({ hasText: toSendBack.title }).getByRole('button', { name: /Review/ }).click();
    const modal = page.getByRole('dialog');
    await modal.getByRole('button', { name: 'Request changes' }).click();
    await modal.getByRole('button', { name: 'Send request' }).click();
    await modal.getByText(/A comment of at least 10 characters is required/).waitFor();
    const before = await app.strapi.db.query('plugin::review.submission').findOne({ where: { courseDocumentId: toSendBack.documentId } });
    assert.equal(before.state, 'in_review', 'nothing sent without a comment');

    const comment = 'Chapter 2 needs exercises, and the summary should say who the course is for.';
    await modal.getByRole('textbox').fill(comment);
    await modal.getByRole('button', { name: 'Send request' }).click();
    await page.getByText('Changes requested.', { exact: true }).waitFor();

    const mine = await app.http().get(`/api/review/courses/${toSendBack.documentId}`).set('Authorization', grace.auth);
    assert.equal(mine.status, 200);
    assert.equal(mine.body.data.review.state, 'changes_requested');
    assert.equal(mine.body.data.review.lastComment, comment, 'the instructor reads the comment');
    assert.equal((await app.http().get(`/api/courses/${toSendBack.documentId}`)).status, 404, 'still not public');
    assert.deepEqual(pageErrors, [], 'no errors in the page');
  });

  test("the course's edit view in the Content Manager shows its review state", async () => {
    await page.goto(`${base}/admin/content-manager/collection-types/api::course.course/${toSendBack.documentId}?plugins[i18n][locale]=en`);
    const panel = page.locator('[data-review-state]');
    await panel.waitFor({ timeout: 60_000 });
    assert.equal(await panel.getAttribute('data-review-state'), 'changes_requested');
    assert.match(await panel.innerText(), /changes requested[\s\S]*Chapter 2 needs exercises/i);
    assert.deepEqual(pageErrors, [], 'no errors in the page');
  });

  test("selling in the Content Manager: a course's prices, the Stripe catalogue, a coupon and a bundle", async () => {
    const course = await createCourse(app, { title: 'Data engineering with PostgreSQL', price: 4900, currency: 'usd', extraPrices: [{ currency: 'eur', amount: 4500 }] });
    const coupon = await app.strapi.documents('plugin::checkout.coupon').create({
      data: { name: 'Winter sale', code: 'WINTER25', percentOff: 25, duration: 'once', courses: [course.documentId], active: true } as never,
    });
    const bundle = await app.strapi.documents('plugin::checkout.bundle').create({
      data: { title: 'Databases, end to end', slug: 'databases-end-to-end', price: 6900, currency: 'usd', onSale: true, courses: [course.documentId, toApprove.documentId] } as never,
    });
    // Saving synchronised the course with Stripe: its catalogue row (the default price) and one
    // active Stripe Price per currency.
    const item = async () => (await app.strapi.db.query('plugin::checkout.catalogue-item').findOne({ where: { itemDocumentId: course.documentId } })) as { syncState: string; amount: number; currency: string } | null;
    const prices = async () =>
      ((await app.strapi.db.query('plugin::checkout.stripe-price').findMany({ where: { itemDocumentId: course.documentId, active: true } })) as Array<{ currency: string; amount: number }>)
        .map((r) => [r.currency, r.amount])
        .sort();
    for (let i = 0; i < 50 && ((await item())?.syncState !== 'synced' || (await prices()).length < 2); i++) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual([(await item())?.syncState, (await item())?.currency, (await item())?.amount], ['synced', 'usd', 4900]);
    assert.deepEqual(await prices(), [['eur', 4500], ['usd', 4900]], 'one Stripe Price per currency');

    // The course: its price in minor units, labelled, and its price in EUR.
    await page.goto(`${base}/admin/content-manager/collection-types/api::course.course/${course.documentId}?plugins[i18n][locale]=en`);
    const price = page.getByLabel(/^Price \(minor units\)/);
    await price.waitFor({ timeout: 60_000 });
    assert.equal((await price.inputValue()).replace(/\D/g, ''), '4900', 'shown with a thousands separator');
    const extra = page.getByText(/Prices in other currencies/).first();
    await extra.scrollIntoViewIfNeeded();
    // The row opens on its currency and amount.
    // (the row's toggle: the closed accordion button nearest before the block's "Add an entry")
    await page.getByRole('button', { name: /add an entry/i }).first().locator('xpath=preceding::button[@aria-expanded="false"][1]').click();
    const amount = page.getByLabel(/^Amount \(minor units\)/); // the component's fields are labelled too
    await amount.waitFor({ timeout: 10_000 });
    assert.equal((await amount.inputValue()).replace(/\D/g, ''), '4500');
    await page.waitForTimeout(800); // the accordion's opening animation
    await tidyForScreenshot(page);
    await page.screenshot({ path: screenshotPath('admin-course-prices.png'), fullPage: false });

    // The Stripe catalogue: the course, synced, with its Stripe ids.
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::checkout.catalogue-item`);
    const row = page.getByRole('row').filter({ hasText: 'Data engineering with PostgreSQL' });
    await row.first().waitFor({ timeout: 60_000 });
    assert.match(await row.first().innerText(), /synced/);
    for (const column of ['Course or plan', 'Price (minor units)', 'Stripe state']) assert.match(await page.locator('thead').innerText(), new RegExp(column.replace(/[()]/g, '\\$&'), 'i'), `the list shows ${column}`);
    await tidyForScreenshot(page);
    await page.screenshot({ path: screenshotPath('admin-stripe-catalogue.png') });

    // A coupon restricted to that course, its Stripe state beside it.
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::checkout.coupon/${coupon.documentId}`);
    const code = page.getByLabel(/^code/i);
    await code.waitFor({ timeout: 60_000 });
    assert.equal(await code.inputValue(), 'WINTER25');
    await tidyForScreenshot(page);
    await page.screenshot({ path: screenshotPath('admin-coupon.png') });

    // A bundle of two courses, on sale.
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::checkout.bundle/${bundle.documentId}`);
    const title = page.getByLabel(/^title/i);
    await title.waitFor({ timeout: 60_000 });
    assert.equal(await title.inputValue(), 'Databases, end to end');
    assert.match(await page.locator('main').innerText(), /Data engineering with PostgreSQL/, 'its courses are listed');
    await tidyForScreenshot(page);
    await page.screenshot({ path: screenshotPath('admin-bundle.png') });
    assert.deepEqual(pageErrors, [], 'no errors in the page');
  });
});
