// Shared e2e plumbing: one headless Debian Chromium (never a downloaded browser), pages that record
// every console error, uncaught exception and failed request, axe-core, and screenshots in artifacts/.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';
import { serveStatic } from './static-server.mjs';

const require = createRequire(import.meta.url);
export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const artifacts = path.join(repoRoot, 'artifacts');
/** The release build served at `/`, and the one built with `--public-url SUBPATH`. */
export const DIST = process.env.DIST_DIR ?? path.join(repoRoot, 'dist');
export const DIST_SUBPATH = process.env.DIST_SUBPATH_DIR ?? path.join(repoRoot, 'dist-subpath');
export const SUBPATH = process.env.SUBPATH ?? '/incr-lab/sub/path/';

/**
 * For the test file that calls it: before its tests, launches Chromium and serves `DIST` at `/`
 * (`site.root`) and `DIST_SUBPATH` at `SUBPATH` only (`site.sub`: a root-relative asset URL is a 404
 * there); after them, closes all three. Returns `site`, filled in once the tests run.
 */
export function servedBuilds() {
  const site = {};
  before(async () => {
    [site.browser, site.root, site.sub] = await Promise.all([
      launchBrowser(),
      serveStatic([{ prefix: '/', dir: DIST }]),
      serveStatic([{ prefix: SUBPATH, dir: DIST_SUBPATH }]),
    ]);
  });
  after(async () => {
    await site.browser?.close();
    await site.root?.close();
    await site.sub?.close();
  });
  return site;
}

/** Launches Debian's Chromium with the flags that keep it off the network. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync',
    ],
  });
}

/**
 * Opens a page that records problems: console errors, uncaught exceptions, failed requests and HTTP
 * errors. Call `assertClean()` at the end of each test.
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    // net::ERR_ABORTED is the browser cancelling a request itself, as when a test reloads the page
    // while the favicon is still in flight (seen under load): not a failure of the site.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`unexpected dialog: ${dialog.type()} ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return {
    page,
    problems,
    assertClean() {
      assert.deepEqual(problems, [], 'the page reported problems');
    },
    close: () => context.close(),
  };
}

/** Runs axe-core on the page; asserts zero violations, listing them readably if any. */
export async function assertAccessible(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
  assert.deepEqual(violations, [], `axe-core violations (${label}):\n${JSON.stringify(violations, null, 2)}`);
}

/** Saves a full-page screenshot as artifacts/<name>.png. */
export async function screenshot(page, name) {
  await mkdir(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Resolves once the page has not scrolled for `frames` animation frames (a smooth scroll has ended). */
export function scrollSettled(page, frames) {
  return page.evaluate((needed) => new Promise((done) => {
    let last = -1;
    let still = 0;
    const tick = () => {
      still = window.scrollY === last ? still + 1 : 0;
      last = window.scrollY;
      if (still >= needed) done();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }), frames);
}

/** Parses the clock bar's HH:MM:SS.t into milliseconds. */
export function parseElapsed(text) {
  const m = /^(\d+):(\d\d):(\d\d)\.(\d)$/.exec(text.trim());
  assert.ok(m, `clock text ${JSON.stringify(text)}`);
  return ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + +m[4] * 100;
}
