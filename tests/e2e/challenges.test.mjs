// End-to-end tests of challenge mode (issue 12) on the release build: a learner plays a break-it
// level (being the scheduler) and a fix-it level (a wrong fix is shown its breaking interleaving,
// replayed step by step with step back; a right one is proved), by keyboard only, and the page
// passes axe; the answers are still there after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertAccessible, screenshot, servedBuilds } from './harness.mjs';

const site = servedBuilds();

async function openChallenges() {
  const session = await openPage(site.browser);
  await session.page.goto(`${site.root.origin}/?chapter=challenges`);
  await session.page.getByRole('region', { name: 'Challenges' }).waitFor();
  return session;
}

/** Focuses the level button `name` and presses Enter. */
async function pickLevel(page, name) {
  await page.getByRole('button', { name: new RegExp(name) }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#challenge-level-title').getByText(name).waitFor();
}

/** Replaces the editor's text by typing, then checks with Ctrl+Enter; returns the result line. */
async function typeAndCheck(page, text) {
  const editor = page.getByRole('textbox', { name: /Your (schedule|client program)/ });
  const result = page.locator('.challenge-result');
  const before = Number(await result.getAttribute('data-checks'));
  await editor.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((n) => Number(document.querySelector('.challenge-result')?.dataset.checks) > n, before);
  return result.textContent();
}

test('break it: the learner is the scheduler and loses a like', async () => {
  const app = await openChallenges();
  const { page } = app;
  await pickLevel(page, 'Be the scheduler: lose a like');
  // Running the clients one after the other loses nothing.
  assert.match(await typeAndCheck(page, '1 1 2 2'), /^Not yet\. Every client is done/);
  // Both read before either writes.
  assert.match(await typeAndCheck(page, '1 2 1 2'), /^Level won\. Broken in 4 steps/);
  assert.match(await page.locator('.challenge-progress').textContent(), /^1 of \d+ levels won/);
  assert.match(await page.getByRole('button', { name: /lose a like/ }).textContent(), /✓/);
  // An impossible schedule is an answer, not a crash.
  assert.match(await typeAndCheck(page, '1 1 1'), /^Cannot run that: step 3: client 1 has nothing left to send/);
  await assertAccessible(page, 'challenges, break it');
  app.assertClean();
  await app.close();
});

test('fix it: a wrong fix is replayed step by step, a right one is proved, and both are saved', async () => {
  const app = await openChallenges();
  const { page } = app;
  await pickLevel(page, 'Fix the likes counter');
  // The starting commands lose a like: the counterexample comes with its replay.
  assert.match(await typeAndCheck(page, 'GET likes\nSET likes 101'), /^Not yet\. Broken in \d+ steps/);
  const replay = page.locator('.challenge-replay');
  const steps = replay.locator('.challenge-steps li');
  const total = await steps.count();
  assert.ok(total >= 2, 'the counterexample is shown');
  // Step back, by keyboard.
  await replay.getByRole('button', { name: 'Step back' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await steps.count(), total - 1);
  await page.keyboard.press('Enter');
  assert.equal(await steps.count(), total - 2);
  await replay.getByRole('button', { name: 'Step forward', exact: true }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await steps.count(), total - 1);
  assert.match(await replay.locator('caption').textContent(), new RegExp(`after step ${total - 1}$`));
  await screenshot(page, 'challenge-counterexample');
  await assertAccessible(page, 'challenges, counterexample');

  // INCR is proved in every interleaving.
  assert.match(await typeAndCheck(page, 'INCR likes'), /^Level won\. Proved: the invariant holds in all \d+ interleavings/);
  await page.reload();
  await page.getByRole('region', { name: 'Challenges' }).waitFor();
  await pickLevel(page, 'Fix the likes counter');
  assert.equal(await page.getByRole('textbox', { name: 'Your client program' }).inputValue(), 'INCR likes');
  assert.match(await page.getByRole('button', { name: /Fix the likes counter/ }).textContent(), /✓/);
  app.assertClean();
  await app.close();
});

test('one text, two places: the same Lua is broken as a client and proved inside EVAL', async () => {
  const app = await openChallenges();
  const { page } = app;
  await pickLevel(page, 'One text, two places');
  const program = await page.getByRole('textbox', { name: 'Your client program' }).inputValue();
  assert.match(await typeAndCheck(page, program), /^Not yet\. Broken/);
  await page.getByRole('checkbox', { name: /inside EVAL/ }).focus();
  await page.keyboard.press('Space');
  const before = Number(await page.locator('.challenge-result').getAttribute('data-checks'));
  await page.getByRole('button', { name: 'Check', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => Number(document.querySelector('.challenge-result')?.dataset.checks) > n, before);
  assert.match(await page.locator('.challenge-result').textContent(), /^Level won\. Proved/);
  app.assertClean();
  await app.close();
});

test('break it: two WATCH clients retry until they give up (a livelock)', async () => {
  const app = await openChallenges();
  const { page } = app;
  await pickLevel(page, 'Be the scheduler: retry forever');
  // One after the other, the first client gets through on its first try.
  assert.match(await typeAndCheck(page, '1 1 1 1 1 1'), /^Not yet\. The invariant holds so far/);
  const schedule = '1 1 2 2 1 1 1 1 1 1 2 2 2 2 2 2 1 1 1 1 1 2 2 2 2 2';
  assert.match(await typeAndCheck(page, schedule), /^Level won\. Broken in 26 steps: nobody got through/);
  await assertAccessible(page, 'challenges, livelock');
  app.assertClean();
  await app.close();
});

test('a link shares the level and the program; a damaged one is answered politely', async () => {
  const app = await openChallenges();
  const { page } = app;
  await pickLevel(page, 'Fix the likes counter');
  assert.match(await typeAndCheck(page, 'GET likes\nINCR likes'), /^Level won/);
  // The editor numbers its lines.
  assert.equal(await page.locator('.challenge-lines').textContent(), '1\n2');
  // The address now carries the level and the program, and so does the link.
  assert.match(page.url(), /[?&]level=fix-likes(&|$)/);
  assert.match(page.url(), /[?&]code=R0VUIGxpa2VzCklOQ1IgbGlrZXM(&|$)/);
  const href = await page.getByRole('link', { name: 'Link to this level with your text' }).getAttribute('href');
  app.assertClean();
  await app.close();

  // Opened elsewhere (no saved progress), the link restores the level and the editor.
  const other = await openPage(site.browser);
  await other.page.goto(new URL(href, `${site.root.origin}/`).href);
  await other.page.getByRole('region', { name: 'Challenges' }).waitFor();
  await other.page.locator('#challenge-level-title').getByText('Fix the likes counter').waitFor();
  assert.equal(await other.page.getByRole('textbox', { name: 'Your client program' }).inputValue(), 'GET likes\nINCR likes');
  // Damaged, oversized or unknown: a polite word, the level opens all the same, nothing breaks.
  for (const [query, expected] of [
    ['level=fix-likes&code=%21%21%21', /^The level opened, but the program in the link is damaged/],
    // 4,001 characters, one more than the editor takes (5,335 in base64url: a URL servers accept).
    [`level=fix-likes&code=${'QUFB'.repeat(1333)}QUE`, /^The level opened, but the program in the link is longer/],
    ['level=no-such-level&code=SU5DUg', /^The link names a level “no-such-level”/],
  ]) {
    await other.page.goto(`${site.root.origin}/?chapter=challenges&${query}`);
    await other.page.getByRole('region', { name: 'Challenges' }).waitFor();
    assert.match(await other.page.locator('.challenge-notice').textContent(), expected);
  }
  await assertAccessible(other.page, 'challenges, shared link notice');
  other.assertClean();
  await other.close();
});

test('wasm speed: 3 clients × 6 round trips on one key, proved (interleavings per second)', async () => {
  const app = await openChallenges();
  const { page } = app;
  await pickLevel(page, 'One text, two places');
  const program = "redis.call('INCR', KEYS[1])\nfor i = 1, 5 do redis.call('GET', KEYS[1]) end";
  const text = await typeAndCheck(page, program);
  const m = text.match(/^Level won\. Proved: the invariant holds in all (\d+) interleavings \((\d+) distinct states\)/);
  assert.ok(m, text);
  assert.equal(Number(m[1]), 17153136);
  const ms = Number(await page.locator('.challenge-result').getAttribute('data-ms'));
  const rate = (n) => Math.round(n / (Math.max(ms, 1) / 1000)).toLocaleString('en');
  console.log(`challenge checker in wasm: ${m[2]} states, ${m[1]} interleavings in ${ms} ms ` +
    `(with the page's slicing): ${rate(Number(m[2]))} states/s, ${rate(Number(m[1]))} interleavings/s`);
  app.assertClean();
  await app.close();
});

test('challenges fit a 360 px phone', async () => {
  const session = await openPage(site.browser, { viewport: { width: 360, height: 740 } });
  const { page } = session;
  await page.goto(`${site.root.origin}/?chapter=challenges`);
  await page.getByRole('region', { name: 'Challenges' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scroll (${overflow} px too wide)`);
  await screenshot(page, 'challenges-phone');
  session.assertClean();
  await session.close();
});
