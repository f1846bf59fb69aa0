// End-to-end tests of the static lesson (src/lesson/static_page.rs): the chapters' text is in the
// built page itself, readable with JavaScript off and while the wasm is on its way, and the app
// takes its place without moving anything on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openPage, assertAccessible, screenshot, servedBuilds, scrollSettled, SUBPATH,
} from './harness.mjs';

const site = servedBuilds();
const STORAGE_KEY = 'incr-lab.progress';
const CHAPTERS = 13;

test('with JavaScript off every chapter reads, and chapter links lead to their place on the page', async () => {
  const session = await openPage(site.browser, { javaScriptEnabled: false });
  const { page } = session;
  await page.goto(`${site.sub.origin}${SUBPATH}`);
  const titles = page.locator('article.chapter > h2');
  assert.equal(await titles.count(), CHAPTERS);
  for (let i = 0; i < CHAPTERS; i += 1) assert.ok(await titles.nth(i).isVisible(), `chapter ${i + 1} shows`);
  assert.match(await titles.first().textContent(), /^1\. Atomic increments$/);
  assert.ok(await page.getByText('A counter looks too simple to get wrong').isVisible());
  assert.ok(await page.locator('#chapter-challenges').getByText('Challenges: break it, fix it').first().isVisible(), 'the last chapter too');
  // What needs the app says so, and nothing pretends to be on its way.
  const needs = page.locator('.workbench .placeholder').filter({ hasText: 'needs JavaScript, which is off' });
  assert.ok(await needs.isVisible(), 'the console says it needs JavaScript');
  assert.equal(await page.locator('#static-page .static-js:visible').count(), 0);
  // The contents: a link per chapter, to its place on this page (under the sub-path too).
  await page.getByText('Contents', { exact: true }).click();
  const race = page.getByRole('navigation', { name: 'Chapters' }).getByRole('link', { name: '3. The race, live' });
  assert.equal(await race.getAttribute('href'), '?chapter=race#chapter-race');
  await race.click();
  await page.waitForURL(/\?chapter=race#chapter-race$/);
  assert.equal(new URL(page.url()).pathname, SUBPATH);
  // The scroll glides where the learner has not asked for reduced motion: give it a moment.
  let top;
  for (let tries = 0; tries < 50; tries += 1) {
    top = await page.locator('#chapter-race').evaluate((el) => el.getBoundingClientRect().top);
    if (Math.abs(top) < 2) break;
    await page.waitForTimeout(100);
  }
  assert.ok(Math.abs(top) < 2, `the race chapter is at the top of the window (${top})`);
  await screenshot(page, 'static-lesson-no-javascript');
  // With JavaScript off, Chromium refuses to fetch the app's script (its modulepreload): that is all.
  const problems = session.problems.filter((p) => !/^request failed: .*\.js csp$/.test(p));
  assert.deepEqual(problems, []);
  await session.close();
});

/** The on-screen boxes of what a learner sees first: the site title, the lesson bar, the chapter's heading and first block of text. */
function boxes(page) {
  return page.evaluate(() => {
    const visible = [...document.querySelectorAll('article.chapter')].find((a) => a.offsetParent !== null);
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
    };
    return {
      title: visible.querySelector('h2').textContent,
      site: box(document.querySelector('.site-header h1')),
      bar: box(document.querySelector('.lesson-bar')),
      heading: box(visible.querySelector('h2')),
      text: box(visible.querySelector('.chapter-text > *')),
      staticPage: Boolean(document.getElementById('static-page')),
    };
  });
}

const CASES = [
  { name: 'first visit', query: '' },
  { name: 'a chapter link', query: '?chapter=race' },
  { name: 'the race demo share link', query: '?clients=100&seed=7' },
  { name: 'saved progress in classroom mode', query: '', saved: { chapter: 'leaderboard', classroom: true } },
  { name: 'a chapter on a phone', query: '?chapter=rate-limit', viewport: { width: 412, height: 823 } },
  { name: 'a link to a box in a chapter', query: '?chapter=atomic#sql' },
];

for (const c of CASES) {
  test(`the app replaces the static lesson without a layout jump: ${c.name}`, async () => {
    const session = await openPage(site.browser, c.viewport ? { viewport: c.viewport } : {});
    const { page } = session;
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    if (c.saved) {
      await page.addInitScript(([key, value]) => {
        if (!sessionStorage.getItem('seeded')) {
          localStorage.setItem(key, value);
          sessionStorage.setItem('seeded', '1');
        }
      }, [STORAGE_KEY, JSON.stringify({ app: 'incr-lab', version: 1, visited: [c.saved.chapter], ...c.saved })]);
    }
    // Hold the wasm back until the static lesson has been looked at.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(/\.wasm$/, async (route) => { await held; await route.continue(); });
    await page.goto(`${site.root.origin}/${c.query}`);
    await page.locator('#static-page article.chapter > h2').first().waitFor({ state: 'attached' });
    await page.waitForFunction(() => [...document.querySelectorAll('#static-page article.chapter')]
      .filter((a) => a.offsetParent !== null).length === 1 && document.readyState === 'complete');
    // The browser has scrolled to the address's fragment, if it has one.
    await scrollSettled(page, 5);
    const before = await boxes(page);
    assert.ok(before.staticPage);
    await assertAccessible(page, `static lesson, ${c.name}`);
    await screenshot(page, `static-lesson-${c.name.replaceAll(/\W+/g, '-')}`);
    release();
    await page.locator('#chapter-title').waitFor();
    await scrollSettled(page, 5);
    const after = await boxes(page);
    assert.equal(after.staticPage, false, 'the static lesson is gone');
    assert.equal(after.title, before.title, 'the app opened the chapter the static lesson showed');
    for (const key of ['site', 'bar', 'heading', 'text']) {
      assert.deepEqual(after[key], before[key], `${key} did not move or change size`);
    }
    const shift = await page.evaluate(() => window.__shift);
    assert.ok(shift < 0.01, `cumulative layout shift ${shift}`);
    session.assertClean();
    await session.close();
  });
}
