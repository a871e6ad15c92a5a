/**
 * Cross-origin credentials in a real browser: the admin signs in on the platform's own origin
 * (the refresh cookie lands in Chromium's jar), then a page on another loopback port — same site,
 * so the browser attaches that cookie — tries to read the API and to mint an admin token with it.
 * CORS must withhold every response from that page, while an origin listed in CORS_ORIGINS reads
 * the API normally.
 *
 * Skipped with a message when no Chromium is installed; under CI=true a missing Chromium fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../support/browser';
import { startStorefrontServer, type StorefrontServer } from '../support/storefront-server';
import { createAdmin, createUser, type TestAdmin } from '../support/builders';

const skip = browserSkipReason('CORS browser test');

interface TinyPage {
  origin: string;
  close(): Promise<void>;
}

/** A blank page on its own loopback port: the origin scripts run from. */
async function startTinyPage(title: string): Promise<TinyPage> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>${title}</title><p>${title}</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Attempt = { name: string; url: string; init: { method?: string; headers?: Record<string, string>; body?: string; credentials: 'include' } };
type Outcome = { name: string; readable: boolean; status?: number; text?: string; error?: string };

/** Runs each fetch in the page and reports whether the page could read the response. */
async function tryFetches(page: Page, attempts: Attempt[]): Promise<Outcome[]> {
  return page.evaluate(async (list) => {
    const out: Outcome[] = [];
    for (const a of list) {
      try {
        const res = await fetch(a.url, a.init);
        out.push({ name: a.name, readable: true, status: res.status, text: (await res.text()).slice(0, 4000) });
      } catch (err) {
        out.push({ name: a.name, readable: false, error: String(err) });
      }
    }
    return out;
  }, attempts);
}

describe('cross-origin requests in a browser', { skip }, () => {
  let server: StorefrontServer;
  let foreign: TinyPage;
  let partner: TinyPage;
  let browser: Browser;
  let context: BrowserContext;
  let admin: TestAdmin;
  /** Requests that reached the platform from the foreign page, with what the browser attached. */
  const arrived: Array<{ method: string; path: string; refreshCookie: boolean }> = [];

  before(async () => {
    foreign = await startTinyPage('Another site on this machine');
    partner = await startTinyPage('A listed partner');
    server = await startStorefrontServer({ courses: 0, env: { CORS_ORIGINS: partner.origin } });
    server.app.strapi.server.httpServer.prependListener('request', (req: http.IncomingMessage) => {
      if (req.headers.origin === foreign.origin) {
        arrived.push({ method: req.method ?? '', path: req.url ?? '', refreshCookie: /strapi_admin_refresh=/.test(req.headers.cookie ?? '') });
      }
    });
    admin = await createAdmin(server.app);
    browser = await launchChromium();
    context = await browser.newContext();
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await foreign?.close();
    await partner?.close();
  });

  test('a page on another port cannot read the API or mint an admin token with the admin\'s cookie', async () => {
    // The admin signs in on the platform's own origin: the refresh cookie is now in the jar, and
    // the platform's own pages use it (same origin: no CORS involved).
    const own = await context.newPage();
    await own.goto(`${server.baseUrl}/`);
    const signedIn = await own.evaluate(async ({ email, password }) => {
      const login = await fetch('/admin/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, rememberMe: true }) });
      const minted = await fetch('/admin/access-token', { method: 'POST' });
      const token = ((await minted.json()) as { data?: { token?: string } }).data?.token;
      const me = await fetch('/admin/users/me', { headers: { authorization: `Bearer ${token}` } });
      return { login: login.status, minted: minted.status, me: me.status, email: ((await me.json()) as { data?: { email?: string } }).data?.email };
    }, admin);
    assert.deepEqual(signedIn, { login: 200, minted: 200, me: 200, email: admin.email }, 'the cookie works where it belongs');

    const page = await context.newPage();
    await page.goto(`${foreign.origin}/`);
    const base = server.baseUrl;
    const outcomes = await tryFetches(page, [
      { name: 'read the catalogue', url: `${base}/api/courses`, init: { credentials: 'include' } },
      { name: 'mint an admin token (simple POST)', url: `${base}/admin/access-token`, init: { method: 'POST', credentials: 'include' } },
      {
        name: 'mint an admin token (JSON, preflighted)',
        url: `${base}/admin/access-token`,
        init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'include' },
      },
      { name: 'read the admin account', url: `${base}/admin/users/me`, init: { credentials: 'include' } },
      { name: 'read the learner account', url: `${base}/api/users/me`, init: { credentials: 'include' } },
    ]);
    for (const o of outcomes) {
      assert.equal(o.readable, false, `${o.name}: the page read ${o.status} ${o.text ?? ''}`);
      assert.match(o.error ?? '', /Failed to fetch|TypeError/);
    }
    // The browser did send the credentialed requests: only CORS kept the answers from the page.
    const simple = arrived.find((a) => a.method === 'POST' && a.path === '/admin/access-token');
    assert.ok(simple, 'the simple POST reached the server');
    assert.equal(simple.refreshCookie, true, 'with the admin refresh cookie attached');
    assert.ok(!arrived.some((a) => a.method === 'POST' && a.path === '/admin/access-token' && a !== simple), 'the preflighted POST was never sent');
    await page.close();
    await own.close();
  });

  test('a listed origin reads the API (credentials allowed for it only)', async () => {
    const learner = await createUser(server.app);
    const page = await context.newPage();
    await page.goto(`${partner.origin}/`);
    const base = server.baseUrl;
    const [catalogue, me] = await tryFetches(page, [
      { name: 'catalogue', url: `${base}/api/courses`, init: { credentials: 'include' } },
      { name: 'me', url: `${base}/api/users/me`, init: { headers: { authorization: learner.auth }, credentials: 'include' } },
    ]);
    assert.equal(catalogue!.readable, true, catalogue!.error);
    assert.equal(catalogue!.status, 200);
    assert.deepEqual(JSON.parse(catalogue!.text!).data, []);
    assert.equal(me!.readable, true, me!.error);
    assert.equal(me!.status, 200);
    assert.equal(JSON.parse(me!.text!).email, learner.email);
    await page.close();
  });
});
