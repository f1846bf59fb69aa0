// End-to-end tests of the release build in headless Chromium, the way a learner uses the page: find
// things by role and accessible name, click, type, press keys. Every test fails on any console error,
// uncaught exception or failed request. Run by scripts/test.sh after `trunk build --release`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveStatic } from './static-server.mjs';
import {
  repoRoot, launchBrowser, openPage, assertAccessible, screenshot, parseElapsed,
} from './harness.mjs';

const DIST = process.env.DIST_DIR ?? path.join(repoRoot, 'dist');
const DIST_SUBPATH = process.env.DIST_SUBPATH_DIR ?? path.join(repoRoot, 'dist-subpath');
const SUBPATH = process.env.SUBPATH ?? '/incr-lab/sub/path/';

let browser;
let root; // serves dist/ at /
let sub; // serves dist-subpath/ at SUBPATH only: a root-relative asset URL would be a 404 there

before(async () => {
  [browser, root, sub] = await Promise.all([
    launchBrowser(),
    serveStatic([{ prefix: '/', dir: DIST }]),
    serveStatic([{ prefix: SUBPATH, dir: DIST_SUBPATH }]),
  ]);
});

after(async () => {
  await browser?.close();
  await root?.close();
  await sub?.close();
});

/** Opens the app at `url` and waits until it is interactive; returns the session and the time it took. */
async function openApp(url, options) {
  const session = await openPage(browser, options);
  const { page } = session;
  await page.goto(url);
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  const interactiveMs = await page.evaluate(() => performance.now());
  return { ...session, interactiveMs };
}

test('the release build loads at the root, cold, and is interactive', async () => {
  const app = await openApp(`${root.origin}/`);
  const { page } = app;
  assert.equal(await page.title(), 'incr-lab — Redis counters, hands-on');
  await page.getByRole('heading', { level: 1, name: 'incr-lab' }).waitFor();
  for (const name of ['Console', 'Keyspace', 'Virtual clock']) {
    assert.equal(await page.getByRole('heading', { level: 2, name }).count(), 1, name);
  }
  console.log(`bench: cold load-to-interactive ${app.interactiveMs.toFixed(0)} ms`);
  await screenshot(page, 'app');
  app.assertClean();
  await app.close();
});

test('axe-core finds no accessibility violations, in light and dark themes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const app = await openApp(`${root.origin}/`, { colorScheme });
    await assertAccessible(app.page, colorScheme);
    if (colorScheme === 'dark') await screenshot(app.page, 'app-dark');
    app.assertClean();
    await app.close();
  }
});

test('the clock pauses, fast-forwards by exact steps, resumes and changes speed', async () => {
  const app = await openApp(`${root.origin}/`);
  const { page } = app;
  const timer = page.getByRole('timer');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Resume' }).waitFor();
  const start = parseElapsed(await timer.textContent());
  await page.getByRole('button', { name: '+10 s' }).click();
  await page.getByRole('button', { name: '+60 s' }).click();
  await page.getByRole('button', { name: '+1 s' }).click();
  assert.equal(parseElapsed(await timer.textContent()), start + 71_000);
  await page.waitForTimeout(300);
  assert.equal(parseElapsed(await timer.textContent()), start + 71_000, 'paused time stands still');

  await page.getByRole('combobox', { name: 'Speed' }).selectOption('60');
  await page.getByRole('button', { name: 'Resume' }).click();
  const resumed = parseElapsed(await timer.textContent());
  await page.waitForTimeout(500);
  const later = parseElapsed(await timer.textContent());
  assert.ok(later - resumed >= 10_000, `at 60× half a second is ≥ 10 s of virtual time (got ${later - resumed} ms)`);
  app.assertClean();
  await app.close();
});

test('every control is reachable with the keyboard, with a visible focus', async () => {
  const app = await openApp(`${root.origin}/`);
  const { page } = app;
  // Label every focusable control, then Tab through the page and tick off what receives focus.
  const total = await page.evaluate(() => {
    const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
      .filter((el) => el.tabIndex >= 0 && !el.disabled);
    controls.forEach((el, i) => { el.dataset.e2eFocus = String(i); });
    return controls.length;
  });
  assert.ok(total >= 6, `found ${total} controls`);
  const reached = new Set();
  for (let i = 0; i < total + 2; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el?.dataset?.e2eFocus) return null;
      const style = getComputedStyle(el);
      return {
        id: el.dataset.e2eFocus,
        name: `${el.tagName} ${el.textContent?.trim() ?? ''}`,
        outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      };
    });
    if (!focused) continue;
    assert.ok(focused.outlined, `focus is visible on ${focused.name}`);
    reached.add(focused.id);
  }
  assert.equal(reached.size, total, `Tab reached ${reached.size} of ${total} controls`);
  app.assertClean();
  await app.close();
});

test('a build with --public-url works from that sub-path on a plain static server', async () => {
  const app = await openApp(`${sub.origin}${SUBPATH}`);
  const { page } = app;
  await page.getByRole('heading', { level: 1, name: 'incr-lab' }).waitFor();
  const icon = await page.evaluate(() => document.querySelector('link[rel=icon]')?.href ?? '');
  assert.ok(new URL(icon).pathname.startsWith(SUBPATH), `favicon under the sub-path: ${icon}`);
  await page.getByRole('button', { name: '+10 s' }).click();
  await screenshot(page, 'app-subpath');
  app.assertClean();
  await app.close();
});
