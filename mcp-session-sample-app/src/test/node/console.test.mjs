// The session console in a real browser: Playwright (playwright-core) driving the system's Chromium against the
// sample app on its H2 file store. Screenshots of every view go to SCREENSHOT_DIR for review.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { freePort, Instance } from './resume-support.mjs';

const WORK_DIR = process.env.WORK_DIR;
const SCREENSHOTS = process.env.SCREENSHOT_DIR;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// What the console promises: a change shows within a second. Measured from the API's answer to the row in the page.
const LIVE_WITHIN_MS = 1000;
// How long a test waits for a state that must come (a restart, a reconnect) before it fails.
const EVENTUALLY_MS = 60_000;

let app;
let port;
let browser;

function sampleApp() {
  // The default profile: the JDBC store on an H2 file under the instance's folder, kept across restarts.
  return Instance.start({ name: 'console', dir: WORK_DIR, profiles: 'default', args: [`--server.port=${port}`] });
}

async function api(method, path, body) {
  const response = await fetch(`${app.url}/mcp-sessions${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.status === 204 ? null : response.json();
}

async function openConsole(hash, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(message.text())) {
      errors.push(message.text());
    }
  });
  const response = await page.goto(`${app.url}/mcp-sessions/console${hash}`);
  assert.equal(response.status(), 200);
  return { page, context, errors };
}

/** The seqs of the event rows of the open log, in page order. */
async function seqsShown(page) {
  return page.$$eval('#log tr[data-seq]', (rows) => rows.map((row) => Number(row.dataset.seq)));
}

async function screenshot(page, name) {
  assert.doesNotMatch(await page.textContent('body'), /\[object /, `the ${name} view shows only what it means to`);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

before(async () => {
  assert.ok(WORK_DIR && SCREENSHOTS, 'WORK_DIR and SCREENSHOT_DIR must be set');
  mkdirSync(SCREENSHOTS, { recursive: true });
  port = await freePort();
  app = await sampleApp();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await app?.kill('SIGTERM');
});

test('the page is served with a Content-Security-Policy that allows no inline script', async () => {
  const response = await fetch(`${app.url}/mcp-sessions/console`);
  assert.equal(response.status, 200);
  const policy = response.headers.get('content-security-policy');
  assert.match(policy, /script-src 'self'/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  const html = await response.text();
  assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]/, 'no inline script in the page');
});

test('a session created through the API appears in the list within a second', async () => {
  const { page, context, errors } = await openConsole('#/sessions');
  await page.waitForSelector('#feed-status:text("Feed: live")', { timeout: EVENTUALLY_MS });
  await page.waitForSelector('#sessions', { state: 'attached' });

  const created = await api('POST', '', { metadata: { purpose: 'console test' }, protocolVersion: '2025-11-25' });
  const shownAfter = Date.now();
  await page.waitForSelector(`#sessions tr[data-id="${created.id}"]`, { timeout: EVENTUALLY_MS });
  const latency = Date.now() - shownAfter;
  console.log(`session row shown ${latency} ms after the API answered`);
  assert.ok(latency <= LIVE_WITHIN_MS, `the new session showed after ${latency} ms`);
  assert.equal(await page.textContent(`#sessions tr[data-id="${created.id}"] td:nth-child(6)`), '2025-11-25');

  await screenshot(page, 'sessions');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an appended event appears in the open log within a second, and its JSON is shown pretty-printed', async () => {
  const session = await api('POST', '', {});
  await api('POST', `/${session.id}/events`, [{ type: 'progress', data: { step: 1 } }, { type: 'progress', data: { step: 2 } }]);
  const { page, context, errors } = await openConsole(`#/session/${session.id}`);
  await page.waitForSelector('#stream-state:text("live")', { timeout: EVENTUALLY_MS });
  await page.waitForFunction(() => document.querySelectorAll('#log tr[data-seq]').length === 2, null, { timeout: EVENTUALLY_MS });

  await api('POST', `/${session.id}/events`, { type: 'message', runId: 'run-1', data: { text: 'hello' } });
  const appendedAt = Date.now();
  await page.waitForSelector('#log tr[data-seq="3"]', { timeout: EVENTUALLY_MS });
  const latency = Date.now() - appendedAt;
  console.log(`event row shown ${latency} ms after the API answered`);
  assert.ok(latency <= LIVE_WITHIN_MS, `the event showed after ${latency} ms`);

  await page.click('#log tr[data-seq="3"] button');
  const json = JSON.parse(await page.textContent('#log tr.detail:not([hidden]) pre'));
  assert.equal(json.seq, 3);
  assert.deepEqual(json.data, { text: 'hello' });
  assert.match(await page.textContent('#log tr.detail:not([hidden]) pre'), /\n {2}"seq": 3,/);

  // Filters hide what does not match; the run filter keeps the one event of run-1.
  await page.fill('#log-run', 'run-1');
  assert.deepEqual(await page.$$eval('#log tr[data-seq]:not([hidden])', (rows) => rows.map((row) => row.dataset.seq)), ['3']);
  await page.fill('#log-run', '');
  await screenshot(page, 'session-log');
  assert.deepEqual(errors, []);
  await context.close();
});

test('older events load with "before", page by page', async () => {
  const session = await api('POST', '', {});
  const events = Array.from({ length: 120 }, (_, i) => ({ type: i % 2 ? 'odd' : 'even', data: { i: i + 1 } }));
  await api('POST', `/${session.id}/events`, events);
  const { page, context, errors } = await openConsole(`#/session/${session.id}`);
  await page.waitForFunction(() => document.querySelectorAll('#log tr[data-seq]').length === 50, null, { timeout: EVENTUALLY_MS });
  assert.deepEqual(await seqsShown(page), Array.from({ length: 50 }, (_, i) => i + 71));

  await page.click('#load-older');
  await page.waitForFunction(() => document.querySelectorAll('#log tr[data-seq]').length === 100, null, { timeout: EVENTUALLY_MS });
  await page.click('#load-older');
  await page.waitForFunction(() => document.querySelectorAll('#log tr[data-seq]').length === 120, null, { timeout: EVENTUALLY_MS });
  assert.deepEqual(await seqsShown(page), Array.from({ length: 120 }, (_, i) => i + 1));
  assert.equal(await page.isDisabled('#load-older'), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('data that holds markup is shown as text, never run', async () => {
  const session = await api('POST', '', { metadata: { note: '<img src=x onerror=window.__xss=1>' } });
  const payload = '<script>window.__xss=2</script><img src=x onerror=window.__xss=3>';
  await api('POST', `/${session.id}/events`, { type: 'message', runId: '<b>run</b>', data: payload });
  const { page, context, errors } = await openConsole(`#/session/${session.id}`);
  await page.waitForSelector('#log tr[data-seq="1"]', { timeout: EVENTUALLY_MS });
  await page.click('#log tr[data-seq="1"] button');

  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('#log script, #log img, #log b, main img').count(), 0);
  assert.ok((await page.textContent('#log tr[data-seq="1"] td.preview')).includes('<script>window.__xss=2</script>'));
  assert.ok((await page.textContent('main')).includes('<img src=x onerror=window.__xss=1>'));

  // The feed view shows the same data as text too.
  await page.goto(`${app.url}/mcp-sessions/console#/feed`);
  await page.waitForSelector(`#feed tr[data-session="${session.id}"][data-type="event.appended"]`, { timeout: EVENTUALLY_MS });
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('#feed script, #feed img').count(), 0);
  await screenshot(page, 'feed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the store view shows health and the mcp.session meters', async () => {
  const { page, context, errors } = await openConsole('#/store');
  await page.waitForSelector('#health', { timeout: EVENTUALLY_MS });
  await page.waitForSelector('#meters tr:has-text("mcp.session.active")', { timeout: EVENTUALLY_MS });
  assert.ok((await page.textContent('#health')).includes('mcpSession'));
  assert.equal(typeof JSON.parse(await page.textContent('#store-details pre')), 'object');
  await screenshot(page, 'store');
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard: the views and a session are reached without a mouse', async () => {
  const session = await api('POST', '', {});
  const { page, context } = await openConsole('#/sessions');
  await page.waitForSelector(`#sessions tr[data-id="${session.id}"]`, { timeout: EVENTUALLY_MS });
  await page.keyboard.press('Tab'); // the skip link
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Feed');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#feed');
  await page.goto(`${app.url}/mcp-sessions/console#/sessions`);
  await page.waitForSelector(`#sessions tr[data-id="${session.id}"] a`, { timeout: EVENTUALLY_MS });
  await page.focus(`#sessions tr[data-id="${session.id}"] a`);
  // A live update of the focused row (its event count) keeps the focus where it was.
  await api('POST', `/${session.id}/events`, { type: 'message', data: { text: 'while focused' } });
  await page.waitForSelector(`#sessions tr[data-id="${session.id}"] td.num:text-is("1")`, { timeout: EVENTUALLY_MS });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), session.id);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#log', { timeout: EVENTUALLY_MS });
  assert.equal(await page.evaluate(() => location.hash), `#/session/${session.id}`);
  await context.close();
});

test('on a phone, in the dark: readable without sideways scrolling of the page', async () => {
  const session = await api('POST', '', {});
  await api('POST', `/${session.id}/events`, { type: 'message', data: { text: 'on a small screen' } });
  const { page, context, errors } = await openConsole(`#/session/${session.id}`,
    { viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true });
  await page.waitForSelector('#log tr[data-seq="1"]', { timeout: EVENTUALLY_MS });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
    'the page itself does not scroll sideways (wide tables scroll inside their box)');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(13, 17, 23)');
  await screenshot(page, 'session-log-phone-dark');
  assert.deepEqual(errors, []);
  await context.close();
});

test('across a restart of the server, the open log resumes without a gap or a duplicate', async () => {
  const session = await api('POST', '', {});
  await api('POST', `/${session.id}/events`, [1, 2, 3].map((n) => ({ type: 'step', data: { n } })));
  const { page, context, errors } = await openConsole(`#/session/${session.id}`);
  await page.waitForFunction(() => document.querySelectorAll('#log tr[data-seq]').length === 3, null, { timeout: EVENTUALLY_MS });

  await app.kill('SIGTERM');
  await page.waitForSelector('#log tr.marker:has-text("reconnecting")', { timeout: EVENTUALLY_MS });
  app = await sampleApp();
  // Appended as soon as the new process answers; the page may have resumed already or not.
  await api('POST', `/${session.id}/events`, [4, 5, 6].map((n) => ({ type: 'step', data: { n } })));
  await page.waitForSelector('#log tr.marker:has-text("Stream resumed after")', { timeout: EVENTUALLY_MS });
  await page.waitForSelector('#log tr[data-seq="6"]', { timeout: EVENTUALLY_MS });
  await api('POST', `/${session.id}/events`, { type: 'step', data: { n: 7 } });
  await page.waitForSelector('#log tr[data-seq="7"]', { timeout: EVENTUALLY_MS });

  assert.deepEqual(await seqsShown(page), [1, 2, 3, 4, 5, 6, 7]);
  await screenshot(page, 'session-log-resumed');
  assert.deepEqual(errors, []);
  await context.close();
});
