// End-to-end tests of the smaller contradictions a learner met (issues 18 and 21): text that says
// what the page shows, no blank figure, a chart that agrees with its lab, an explained flood, an
// honest address, and a clock bar that stays small on a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertAccessible, screenshot, servedBuilds } from './harness.mjs';

const site = servedBuilds();

async function open(query, options = {}) {
  const session = await openPage(site.browser, options);
  await session.page.goto(`${site.root.origin}/${query}`);
  await session.page.locator('#chapter-title').waitFor();
  return session;
}

/** Every figure of a lab, as label → text. */
async function figures(lab) {
  const out = {};
  for (const dd of await lab.locator('dd[data-figure]').all()) {
    out[await dd.getAttribute('data-figure')] = (await dd.textContent()).trim();
  }
  return out;
}

function assertNoBlank(figs, when) {
  assert.ok(Object.keys(figs).length > 0, `${when}: figures shown`);
  for (const [label, value] of Object.entries(figs)) assert.notEqual(value, '', `${when}: ${label} is blank`);
}

const LABS = [
  ['likes', 'Likes counter and write-behind', 'Start'],
  ['flash-sale', 'Flash sale: 100 phones, 10,000 buyers', 'Start'],
  ['rate-limit', 'Rate limiter, fixed window', 'Start'],
  ['leaderboard', 'Leaderboard', 'Start'],
  ['per-user', 'Per-user counters and memory', 'Start'],
  ['durability', 'Durability: what survives a crash', 'Start the likes'],
  ['core-commands', 'Reward points: one INCRBY or 50 INCRs', 'Start'],
];

test('no lab shows a blank figure: just started, at its end, and in the window-edge burst', async () => {
  const { page, assertClean, close } = await open('?chapter=atomic');
  for (const [chapter, name, start] of LABS) {
    await page.goto(`${site.root.origin}/?chapter=${chapter}`);
    const lab = page.getByRole('region', { name, exact: true });
    await lab.getByRole('button', { name: start, exact: true }).click();
    assertNoBlank(await figures(lab), `${chapter} at its start`);
    await lab.getByRole('button', { name: 'Run to the end' }).click();
    assertNoBlank(await figures(lab), `${chapter} at its end`);
  }
  const lab = page.getByRole('region', { name: 'Rate limiter, fixed window', exact: true });
  await page.goto(`${site.root.origin}/?chapter=rate-limit`);
  await lab.getByRole('button', { name: /^Try the window edge/ }).click();
  const burst = await figures(lab);
  assertNoBlank(burst, 'the burst');
  assert.equal(burst['User 42 allowed'], '0', 'user 42 sends nothing in the burst');
  assert.equal(burst['User 42 blocked'], '0');
  assertClean();
  await close();
});

test("the rate limiter's chart never counts fewer than its lab: fixed bars said, the sliding count given", async () => {
  const { page, assertClean, close } = await open('?chapter=rate-limit');
  const lab = page.getByRole('region', { name: 'Rate limiter, fixed window', exact: true });
  await lab.getByRole('button', { name: /^Try the window edge/ }).click();
  await lab.getByRole('button', { name: 'Run to the end' }).click();
  const edge = Number(await lab.locator('dd[data-figure="Most allowed in 2 s (user 123)"]').textContent());
  assert.equal(edge, 200);
  const chart = lab.getByRole('img', { name: /^Requests in fixed 10-second bars/ });
  const text = await chart.getAttribute('aria-label');
  const fullest = Number(text.match(/the fullest bar holds (\d+) allowed/)[1]);
  const sliding = Number(text.match(/the run allowed at most (\d+)\./)[1]);
  assert.ok(fullest <= 100, `a fixed bar holds ${fullest}: the edge splits the burst`);
  assert.ok(sliding >= edge, `any 10 s in a row allowed at most ${sliding}, the lab saw ${edge} in 2 s`);
  assert.equal(await lab.locator('figcaption').textContent().then((t) => t.includes(text)), true, 'the caption says the same');
  assertClean();
  await close();
});

test('the flash sale text names the stock the lab shows', async () => {
  const { page, assertClean, close } = await open('?chapter=flash-sale');
  const lab = page.getByRole('region', { name: 'Flash sale: 100 phones, 10,000 buyers', exact: true });
  await lab.getByRole('button', { name: 'Start', exact: true }).click();
  await lab.getByRole('button', { name: 'Run to the end' }).click();
  const stock = await lab.locator('dd[data-figure="Stock now"]').textContent();
  assert.equal(stock, '-9,900');
  const caveat = await lab.locator('.caveat').textContent();
  assert.ok(!caveat.includes('“9,900 left”'), 'no badge of 9,900 left');
  assert.ok(caveat.includes(`${stock.replace('-', '−')} with 10,000 buyers`), caveat);
  assertClean();
  await close();
});

test('the flood at 1 ms: the seed hint says every seed ends alike, the result says why', async () => {
  const { page, assertClean, close } = await open('?chapter=race&clients=1000&seed=3');
  const flood = page.getByRole('region', { name: 'The flood' });
  const seed = flood.getByRole('spinbutton', { name: 'Seed' });
  assert.match(await page.locator('#seed-hint').textContent(), /^Within 1 ms, GET-then-SET ends near 2 for every seed/);
  assert.equal(await seed.getAttribute('aria-describedby'), 'seed-hint');
  const note = flood.locator('.flood-note');
  for (const value of ['3', '4']) {
    await seed.fill(value);
    await seed.press('Enter');
    await flood.getByRole('button', { name: 'Show the result' }).click();
    await flood.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 60_000 });
    assert.match(await flood.getByRole('status').filter({ hasText: /^Done:/ }).textContent(), /counter ended at 2 of 1,000/);
    await note.waitFor();
    assert.match(await note.textContent(), /^Not a bug: almost every client read the counter \(0 or 1\) before any write landed/);
  }
  await assertAccessible(page, 'flood with its note');
  await flood.getByRole('combobox', { name: 'Arrivals spread over' }).selectOption('1000');
  assert.equal(await page.locator('#seed-hint').textContent(), 'The same seed replays the same run.');
  await flood.getByRole('button', { name: 'Show the result' }).click();
  await flood.getByRole('status').filter({ hasText: /spread over 1 s\.$/ }).waitFor({ timeout: 60_000 });
  assert.equal(await note.isHidden(), true, 'no note when the seed matters');
  assertClean();
  await close();
});

test('an unknown chapter in the address is said politely, and the address names the chapter shown', async () => {
  const { page, assertClean, close } = await open('?chapter=nonsense');
  const status = page.locator('.notice-area[role=status]');
  assert.equal((await status.textContent()).replace(/Dismiss$/, ''), 'No chapter “nonsense” — here is chapter 1, “Atomic increments”. The contents list every chapter.');
  assert.equal(new URL(page.url()).searchParams.get('chapter'), 'atomic');
  await assertAccessible(page, 'unknown chapter');
  assertClean();
  await close();
});

test('on a 360 px phone the clock bar is one line, every control still there; classroom mode keeps it usable', async () => {
  const { page, assertClean, close } = await open('?chapter=rate-limit', { viewport: { width: 360, height: 740 } });
  const bar = page.getByRole('region', { name: 'Virtual clock' });
  const box = await bar.boundingBox();
  assert.ok(box.height <= 52, `the clock bar is ${box.height}px tall (one line)`);
  for (const name of ['Pause', '+1 s', '+10 s', '+60 s']) await bar.getByRole('button', { name, exact: true }).waitFor();
  assert.equal(await bar.getByRole('combobox', { name: 'Speed' }).count(), 1);
  assert.match(await bar.getByRole('timer').textContent(), /^\d\d:\d\d:\d\d\.\d$/);
  // Connected to a lab, it stays one line.
  const lab = page.getByRole('region', { name: 'Rate limiter, fixed window', exact: true });
  await lab.getByRole('button', { name: 'Start', exact: true }).click();
  await lab.getByRole('list', { name: 'Command log' }).getByRole('button').last().waitFor();
  await lab.getByRole('list', { name: 'Command log' }).getByRole('button').last().click();
  assert.ok((await bar.boundingBox()).height <= 52, 'still one line on a lab');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${overflow}px wider than the screen`);
  await assertAccessible(page, 'phone, console on a lab');
  await screenshot(page, 'phone-clock-bar');
  // Classroom mode on the same phone: the bar and the console's server line still work.
  await page.getByRole('button', { name: 'Classroom mode' }).click();
  await bar.getByRole('button', { name: '+10 s', exact: true }).click();
  assert.match(await page.locator('#console-server').textContent(), /^Connected to the rate-limit lab's server/);
  await assertAccessible(page, 'phone, classroom mode');
  await screenshot(page, 'phone-classroom');
  assertClean();
  await close();
});
