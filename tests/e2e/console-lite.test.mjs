// End-to-end tests of the console-lite (src/bin/console-lite.rs): the small wasm that answers in
// the static page's console while the app's wasm is still on its way, and the app taking over its
// lines when it mounts. The app's wasm is held back by routing, so the lite is alone for as long
// as a test needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertAccessible, screenshot, servedBuilds, SUBPATH } from './harness.mjs';

const site = servedBuilds();
/** The app's wasm (Trunk names it incr-lab-HASH_bg.wasm); the lite's is console-lite-HASH_bg.wasm. */
const APP_WASM = /\/incr-lab-[0-9a-f]+_bg\.wasm$/;
const WAITING = '(this runs when the page has loaded: a moment…)';

/** Opens `url` with the app's wasm held back; `release()` lets it through. */
async function openLite(url) {
  const session = await openPage(site.browser);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let asked = 0;
  await session.page.route(APP_WASM, async (route) => {
    asked += 1;
    await held;
    await route.continue();
  });
  await session.page.goto(url);
  await session.page.locator('#static-page #console-input').waitFor();
  return { ...session, release, asked: () => asked };
}

/** Types `line` and presses Enter; waits for its entry. */
async function type(page, line) {
  const entries = page.locator('.console-entry');
  const before = await entries.count();
  const input = page.locator('#console-input');
  await input.fill(line);
  await input.press('Enter');
  await entries.nth(before).waitFor();
}

/** Every transcript entry: its prompt, echo and printed text. */
function transcript(page) {
  return page.locator('.console-entry').evaluateAll((entries) => entries.map((e) => ({
    prompt: e.querySelector('.prompt').textContent,
    echo: e.querySelector('.typed').textContent,
    reply: e.querySelector('.console-reply')?.textContent ?? '',
  })));
}

test('the console answers before the app has loaded, and the app takes its lines over', async () => {
  const lite = await openLite(`${site.root.origin}/`);
  const { page } = lite;
  const lines = ['SET likes 100', 'INCR likes', 'SET session:1 alice EX 300', 'EXPIRE likes 600',
    'MULTI', 'INCR likes', 'EXEC', 'EVAL "return redis.call(\'INCR\', KEYS[1])" 1 likes', 'GET likes'];
  for (const line of lines) await type(page, line);
  const before = await transcript(page);
  assert.deepEqual(before.map((e) => e.echo), lines);
  assert.deepEqual(before.map((e) => e.reply), ['OK', '(integer) 101', 'OK', '(integer) 1', 'OK',
    'QUEUED', '1) (integer) 102', WAITING, WAITING]);
  for (const e of before) assert.match(e.prompt, /^\[00:00:\d\d\.\d\] 127\.0\.0\.1:6379(\(TX\))?>$/);
  assert.match(before[5].prompt, /\(TX\)>$/, 'MULTI shows in the prompt');
  assert.ok(await page.locator('#static-page').count(), 'the app has not mounted');
  assert.ok(lite.asked() > 0, "the app's wasm was asked for, and is held");
  await assertAccessible(page, 'the console-lite');
  await screenshot(page, 'console-lite');
  // Half a line typed when the app arrives: it stays, with the focus.
  await page.locator('#console-input').fill('TTL likes');
  lite.release();
  await page.locator('#static-page').waitFor({ state: 'detached' });
  await page.getByRole('heading', { level: 2, name: 'Keyspace' }).waitFor();
  const input = page.locator('#console-input');
  assert.equal(await input.inputValue(), 'TTL likes');
  assert.ok(await input.evaluate((el) => el === document.activeElement), 'the input kept the focus');
  // The app replayed the lines the lite ran, at their times: the same entries, the same prompts;
  // then the waiting lines, now.
  const after = await transcript(page);
  assert.deepEqual(after.slice(0, 7), before.slice(0, 7));
  assert.deepEqual(after.slice(7).map((e) => [e.echo, e.reply]), [[lines[7], '(integer) 103'], [lines[8], '"103"']]);
  await input.press('Enter');
  await page.locator('.console-entry').nth(lines.length).waitFor();
  const ttl = Number(/^\(integer\) (\d+)$/.exec((await transcript(page)).at(-1).reply)?.[1]);
  assert.ok(ttl > 560 && ttl <= 600, `TTL likes ${ttl}`);
  await type(page, 'TTL session:1');
  const sessionTtl = Number(/^\(integer\) (\d+)$/.exec((await transcript(page)).at(-1).reply)?.[1]);
  assert.ok(sessionTtl > 260 && sessionTtl <= 300, `TTL session:1 ${sessionTtl}`);
  // The keyspace shows the keys, and the lite's history is the app's.
  const keys = page.getByRole('list', { name: 'Keys' }).getByRole('listitem');
  await keys.filter({ hasText: 'likes' }).filter({ hasText: '"103"' }).waitFor();
  await keys.filter({ hasText: 'session:1' }).waitFor();
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'TTL session:1');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'TTL likes');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'GET likes');
  lite.assertClean();
  await lite.close();
});

test('the console-lite loads under a sub-path, and HELP waits for the app', async () => {
  const lite = await openLite(`${site.sub.origin}${SUBPATH}`);
  const { page } = lite;
  await type(page, 'INCR likes');
  await type(page, 'HELP INCR');
  await type(page, 'INCR likes');
  assert.deepEqual((await transcript(page)).map((e) => e.reply), ['(integer) 1', WAITING, WAITING]);
  lite.release();
  await page.locator('#static-page').waitFor({ state: 'detached' });
  const after = await transcript(page);
  assert.equal(after.length, 3);
  assert.equal(after[0].reply, '(integer) 1');
  assert.match(after[1].reply, /^ {2}INCR key\n/);
  assert.equal(after[2].reply, '(integer) 2');
  lite.assertClean();
  await lite.close();
});
