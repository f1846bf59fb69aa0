// End-to-end tests of the release build in headless Chromium, the way a learner uses the page: find
// things by role and accessible name, click, type, press keys. Every test fails on any console error,
// uncaught exception or failed request. Run by scripts/test.sh after `trunk build --release`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openPage, assertAccessible, screenshot, parseElapsed, servedBuilds, SUBPATH,
} from './harness.mjs';

const site = servedBuilds();

/** Opens the app at `url` and waits until it is interactive; returns the session and the time it took. */
async function openApp(url, options) {
  const session = await openPage(site.browser, options);
  const { page } = session;
  await page.goto(url);
  await page.getByRole('textbox', { name: 'Command' }).waitFor();
  // The console-lite's input comes first (tests/e2e/console-lite.test.mjs): wait for the app's.
  await page.locator('#static-page').waitFor({ state: 'detached' });
  const interactiveMs = await page.evaluate(() => performance.now());
  return { ...session, interactiveMs };
}

/** Types `line` into the console and presses Enter; returns the text the line printed. */
async function run(page, line) {
  const input = page.getByRole('textbox', { name: 'Command' });
  const before = await page.locator('.console-entry').count();
  await input.fill(line);
  await input.press('Enter');
  await page.locator('.console-entry').nth(before).waitFor();
  return lastOutput(page);
}

/** The output of the newest console entry ('' if it printed nothing). */
async function lastOutput(page) {
  const reply = page.locator('.console-entry').last().locator('.console-reply');
  return (await reply.count()) ? reply.textContent() : '';
}

/** The inspector's key cards. */
function keyCards(page) {
  return page.getByRole('list', { name: 'Keys' }).getByRole('listitem');
}

test('the release build loads at the root, cold, and is interactive', async () => {
  const app = await openApp(`${site.root.origin}/`);
  const { page } = app;
  assert.equal(await page.title(), 'incr-lab — Redis counters, hands-on');
  await page.getByRole('heading', { level: 1, name: 'incr-lab' }).waitFor();
  // The guided lesson (its first chapter) sits beside the console; its snippets replaced the tour.
  await page.getByRole('heading', { level: 2, name: '1. Atomic increments' }).waitFor();
  for (const name of ['Console', 'Keyspace', 'Virtual clock']) {
    assert.equal(await page.getByRole('heading', { level: 2, name }).count(), 1, name);
  }
  console.log(`bench: cold load-to-interactive ${app.interactiveMs.toFixed(0)} ms`);
  // The "done when", as a picture: a counter set, incremented and given a TTL.
  await page.getByRole('button', { name: 'Pause' }).click();
  for (const line of ['SET likes 100', 'INCR likes', 'EXPIRE likes 10', 'HSET page:1 views 1 likes 0']) {
    await run(page, line);
  }
  await page.getByRole('button', { name: '+1 s' }).click();
  await screenshot(page, 'app');
  app.assertClean();
  await app.close();
});

test('axe-core finds no accessibility violations, in light and dark themes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const app = await openApp(`${site.root.origin}/`, { colorScheme });
    await assertAccessible(app.page, `${colorScheme}, empty`);
    // Again with every kind of output and key on the page.
    for (const line of ['SET likes 100', 'INCR likes', 'EXPIRE likes 100', 'HSET page:1 views 1',
      'ZADD board 1 alice', 'GET page:1', 'NOPE', '"unbalanced', 'HELP INCR']) {
      await run(app.page, line);
    }
    await assertAccessible(app.page, `${colorScheme}, in use`);
    if (colorScheme === 'dark') await screenshot(app.page, 'app-dark');
    app.assertClean();
    await app.close();
  }
});

test('the clock pauses, fast-forwards by exact steps, resumes and changes speed', async () => {
  const app = await openApp(`${site.root.origin}/`);
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
  const app = await openApp(`${site.root.origin}/`);
  const { page } = app;
  // Label every focusable control, then Tab through the page and tick off what receives focus.
  const total = await page.evaluate(() => {
    // Controls a learner can see: not inside a closed disclosure (the lesson's contents).
    const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
      .filter((el) => el.tabIndex >= 0 && !el.disabled && el.checkVisibility());
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
  // The skip link, first in the tab order, takes keyboard users straight to the command line.
  await page.reload();
  await page.getByRole('textbox', { name: 'Command' }).waitFor();
  await page.locator('#static-page').waitFor({ state: 'detached' });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the console');
  await page.keyboard.press('Enter');
  await page.keyboard.type('PING');
  await page.keyboard.press('Enter');
  assert.equal(await lastOutput(page), 'PONG');
  app.assertClean();
  await app.close();
});

test('a learner sets a counter, increments it, expires it and watches it go', async () => {
  const app = await openApp(`${site.root.origin}/`);
  const { page } = app;
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await run(page, 'SET likes 100'), 'OK');
  assert.equal(await run(page, 'INCR likes'), '(integer) 101');
  assert.equal(await run(page, 'EXPIRE likes 10'), '(integer) 1');
  const card = keyCards(page).filter({ hasText: '"likes"' });
  assert.equal(await card.count(), 1);
  assert.equal(await card.locator('.key-value').textContent(), '"101"');
  assert.equal(await card.locator('.key-ttl').textContent(), 'TTL 10.0 s');
  assert.match(await card.getAttribute('class'), /\btouched\b/, 'EXPIRE touched the key');
  await page.getByRole('button', { name: '+1 s' }).click();
  assert.equal(await card.locator('.key-ttl').textContent(), 'TTL 9.0 s');
  assert.equal(await run(page, 'TTL likes'), '(integer) 9');
  await screenshot(page, 'expire-before');
  await page.getByRole('button', { name: '+10 s' }).click();
  await card.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.key-count').textContent(), '(empty keyspace)');
  assert.equal(await run(page, 'GET likes'), '(nil)');
  await screenshot(page, 'expire-after');
  app.assertClean();
  await app.close();
});

test('time flowing at 60x expires a key on its own', async () => {
  const app = await openApp(`${site.root.origin}/`);
  const { page } = app;
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('60');
  assert.equal(await run(page, 'SET flash on EX 30'), 'OK');
  await keyCards(page).filter({ hasText: '"flash"' }).waitFor();
  await keyCards(page).filter({ hasText: '"flash"' }).waitFor({ state: 'detached', timeout: 5_000 });
  app.assertClean();
  await app.close();
});

test('snippets run in the console when clicked, and the arrow keys recall history', async () => {
  const app = await openApp(`${site.root.origin}/`);
  const { page } = app;
  await page.getByRole('button', { name: 'SET likes 100' }).click();
  assert.equal(await lastOutput(page), 'OK');
  await page.getByRole('button', { name: 'INCR likes', exact: true }).click();
  assert.equal(await lastOutput(page), '(integer) 101');
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.fill('GET lik');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'INCR likes');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'SET likes 100');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'GET lik', 'back to the unfinished line');
  await input.press('ArrowUp');
  await input.press('Enter');
  assert.equal(await lastOutput(page), '(integer) 102');
  app.assertClean();
  await app.close();
});

test('bad input gets the exact redis-cli answer, shown as text, and the page lives on', async () => {
  const app = await openApp(`${site.root.origin}/`);
  const { page } = app;
  assert.equal(await run(page, 'SET "unbalanced'), 'Invalid argument(s)');
  assert.equal(await run(page, "GET 'a'b"), 'Invalid argument(s)');
  assert.equal(await run(page, 'FOO bar'), "(error) ERR unknown command 'FOO', with args beginning with: 'bar' ");
  assert.equal(await run(page, 'INCR'), "(error) ERR wrong number of arguments for 'incr' command");
  assert.equal(await run(page, 'INCRBY n 99999999999999999999'), '(error) ERR value is not an integer or out of range');
  const html = '<img src=x onerror=alert(1)>';
  assert.equal(await run(page, `SET '${html}' "<b>bold</b>"`), 'OK');
  assert.equal(await run(page, `GET '${html}'`), '"<b>bold</b>"');
  assert.equal(await page.locator('main img, main b, main script').count(), 0, 'no markup from input');
  assert.equal(await keyCards(page).filter({ hasText: html }).count(), 1);
  const long = 'x'.repeat(100_000);
  assert.equal(await run(page, `SET big ${long}`), 'OK');
  assert.equal(await run(page, 'GET big'), `"${long}"`);
  assert.equal(await run(page, `${'"'.repeat(100_001)}`), 'Invalid argument(s)');
  assert.equal(await run(page, '10000 INCR many'), Array.from({ length: 500 }, (_, i) => `(integer) ${i + 1}`).join('\n'));
  assert.equal(await page.locator('.console-entry').last().locator('.console-note').textContent(), '… 9500 more lines not shown');
  assert.equal(await run(page, 'GET many'), '"10000"');
  assert.equal(await run(page, 'PING'), 'PONG', 'still alive');
  await page.getByRole('textbox', { name: 'Command' }).press('Control+l');
  assert.equal(await page.locator('.console-entry').count(), 0, 'Ctrl+L clears like redis-cli');
  app.assertClean();
  await app.close();
});

test('a build with --public-url works from that sub-path on a plain static server', async () => {
  const app = await openApp(`${site.sub.origin}${SUBPATH}`);
  const { page } = app;
  await page.getByRole('heading', { level: 1, name: 'incr-lab' }).waitFor();
  const icon = await page.evaluate(() => document.querySelector('link[rel=icon]')?.href ?? '');
  assert.ok(new URL(icon).pathname.startsWith(SUBPATH), `favicon under the sub-path: ${icon}`);
  assert.equal(await run(page, 'INCR visits'), '(integer) 1');
  await screenshot(page, 'app-subpath');
  app.assertClean();
  await app.close();
});
