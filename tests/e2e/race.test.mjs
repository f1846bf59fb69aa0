// End-to-end tests of the race demo (issue 5) on the release build, the way a learner uses it: find
// things by role and accessible name, click, press keys, read the results table and the live regions.
// Every test fails on any console error, uncaught exception or failed request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertAccessible, screenshot, servedBuilds, SUBPATH } from './harness.mjs';

const site = servedBuilds();

/** Opens the page at `query` (e.g. '?clients=1000'); returns the session and the two race regions. */
async function openRace(query = '', options = {}, origin = site.root.origin, base = '/') {
  const session = await openPage(site.browser, options);
  const { page } = session;
  // The race demo is the lesson's third chapter; an address with its parameters opens it too.
  await page.goto(`${origin}${base}${query || '?chapter=race'}`);
  const flood = page.getByRole('region', { name: 'The flood' });
  const steps = page.getByRole('region', { name: 'Step by step' });
  // The first drawing fills the results table: the page is ready.
  await flood.getByRole('row', { name: /^Counter \(likes\)/ }).getByRole('cell').first()
    .filter({ hasText: /\d/ }).waitFor();
  return { ...session, flood, steps };
}

/** The results table as { rowName: [left, right] }, numbers parsed. */
async function results(flood) {
  const table = flood.getByRole('table', { name: 'Flood results' });
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [
    tr.querySelector('th').textContent.trim(),
    [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
  ]));
  const number = (s) => Number(s.replace(/,/g, '').replace(/ ms$/, ''));
  return Object.fromEntries(rows.map(([name, cells]) => [name, cells.map(number)]));
}

/** Presses "Show the result" and waits for the live region's verdict. */
async function runToTheEnd(flood) {
  await flood.getByRole('button', { name: 'Show the result' }).click();
  await flood.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 60_000 });
  return results(flood);
}

test('naive GET/SET with 1,000 clients loses likes; INCR on the same schedule counts all 1,000', async () => {
  const app = await openRace();
  const { page, flood } = app;
  await flood.getByRole('button', { name: '1,000 clients' }).click();
  await flood.getByRole('spinbutton', { name: 'Seed' }).fill('7');
  await flood.getByRole('spinbutton', { name: 'Seed' }).press('Enter');
  await flood.getByRole('combobox', { name: 'Left strategy' }).selectOption('naive');
  await flood.getByRole('combobox', { name: 'Right strategy' }).selectOption('incr');
  const r = await runToTheEnd(flood);
  const [naive, incr] = [0, 1];
  assert.ok(r['Lost updates'][naive] > 0, `lost updates ${r['Lost updates'][naive]}`);
  assert.ok(r['Counter (likes)'][naive] < 1000, `naive counter ${r['Counter (likes)'][naive]}`);
  assert.equal(r['Likes acknowledged'][naive], 1000, 'every naive client was told its like counted');
  assert.equal(r['Counter (likes)'][naive] + r['Lost updates'][naive], 1000);
  assert.equal(r['Counter (likes)'][incr], 1000);
  assert.equal(r['Lost updates'][incr], 0);
  const verdict = await flood.getByRole('status').textContent();
  assert.match(verdict, /with INCR \(atomic\), the counter ended at 1,000 of 1,000 \(0 likes lost\)/);
  // The address names the run (written a moment after the last change).
  await page.waitForURL(/[?&]clients=1000&seed=7&strategy=naive&vs=incr&spread=1&speed=1000$/);
  await screenshot(page, 'race-flood-1000');

  // INCR alone, same seed: exactly 1,000 again (the left side now runs INCR too).
  await flood.getByRole('combobox', { name: 'Left strategy' }).selectOption('incr');
  const again = await runToTheEnd(flood);
  assert.deepEqual(again['Counter (likes)'], [1000, 1000]);
  app.assertClean();
  await app.close();
});

test('playing animates the run to its end, and Pause stops it', async () => {
  const app = await openRace('?clients=10000&seed=3');
  const { page, flood } = app;
  const play = flood.getByRole('button', { name: 'Play', exact: true });
  await play.click();
  await page.waitForTimeout(700);
  await flood.getByRole('button', { name: 'Pause', exact: true }).click();
  const paused = await results(flood);
  assert.ok(paused['Simulated time'][0] > 0, 'time moved while playing');
  assert.ok(paused['Likes acknowledged'][1] < 10000, 'paused before the end');
  await page.waitForTimeout(300);
  assert.deepEqual(await results(flood), paused, 'nothing moves while paused');
  await screenshot(page, 'race-flood-10000-playing');
  // The fastest speed finishes the rest quickly.
  await flood.getByRole('combobox', { name: 'Slow motion' }).selectOption('500000');
  await flood.getByRole('button', { name: 'Play', exact: true }).click();
  await flood.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 30_000 });
  const done = await results(flood);
  assert.equal(done['Counter (likes)'][1], 10000);
  assert.ok(done['Lost updates'][0] > 0);
  await screenshot(page, 'race-flood-10000-done');
  app.assertClean();
  await app.close();
});

test('a shared link reproduces the exact run, also under a sub-path', async () => {
  // A link from before the spread setting: arrivals within 1 ms, as then.
  const first = await openRace('?clients=5000&seed=42&strategy=watch&vs=naive&speed=2000');
  assert.equal(
    await first.flood.getByRole('combobox', { name: 'Arrivals spread over' }).inputValue(), '1',
  );
  const want = await runToTheEnd(first.flood);
  assert.ok(want['Retries'][0] > 0, 'WATCH retried');
  assert.equal(want['Lost updates'][0], 0, 'WATCH loses nothing');
  assert.ok(want['Lost updates'][1] > 0);
  const href = await first.flood.getByRole('link', { name: 'Link to this run' }).getAttribute('href');
  assert.equal(href, '?clients=5000&seed=42&strategy=watch&vs=naive&spread=1&speed=2000');
  first.assertClean();
  await first.close();

  for (const [origin, base] of [[site.root.origin, '/'], [site.sub.origin, SUBPATH]]) {
    const second = await openRace(href, {}, origin, base);
    assert.equal(
      await second.flood.getByRole('combobox', { name: 'Slow motion' }).inputValue(), '2000',
    );
    assert.deepEqual(await runToTheEnd(second.flood), want, `same figures at ${base}`);
    second.assertClean();
    await second.close();
  }
});

test('arrivals spread wider lose fewer likes, never none with GET/SET; INCR exact; the link keeps the spread', async () => {
  const app = await openRace('?clients=1000&seed=1&strategy=naive&vs=incr');
  const { page, flood } = app;
  const spread = flood.getByRole('combobox', { name: 'Arrivals spread over' });
  assert.equal(await spread.inputValue(), '1', 'the default: 1 ms');
  const burst = await runToTheEnd(flood);
  assert.match(await flood.getByRole('status').textContent(), /; arrivals spread over 1 ms\.$/);

  // The select is a plain labelled control: the keyboard picks a wider window.
  await spread.focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await spread.inputValue(), '100');
  await spread.selectOption('1000');
  assert.equal(
    await flood.getByRole('combobox', { name: 'Slow motion' }).inputValue(), '200000',
    'a speed that suits a 1 s window',
  );
  const spreadOut = await runToTheEnd(flood);
  const lost = spreadOut['Lost updates'][0];
  assert.ok(lost > 0 && lost < burst['Lost updates'][0], `1 s: ${lost} vs 1 ms: ${burst['Lost updates'][0]}`);
  assert.equal(spreadOut['Counter (likes)'][0] + lost, 1000);
  assert.deepEqual([spreadOut['Counter (likes)'][1], spreadOut['Lost updates'][1]], [1000, 0]);
  assert.ok(spreadOut['Simulated time'][0] >= 900, 'the run lasts about the window');
  assert.match(
    await flood.getByRole('status').textContent(),
    /ended at 1,000 of 1,000 \(0 likes lost\); arrivals spread over 1 s\.$/,
  );
  await page.waitForURL(/[?&]clients=1000&seed=1&strategy=naive&vs=incr&spread=1000&speed=200000$/);
  await assertAccessible(page, 'after a spread-out flood');
  await screenshot(page, 'race-flood-spread-1s');
  const href = await flood.getByRole('link', { name: 'Link to this run' }).getAttribute('href');
  app.assertClean();
  await app.close();

  const again = await openRace(href);
  assert.equal(await again.flood.getByRole('combobox', { name: 'Arrivals spread over' }).inputValue(), '1000');
  assert.deepEqual(await runToTheEnd(again.flood), spreadOut, 'the link reproduces the run');
  again.assertClean();
  await again.close();
});

test('step by step: the lost update is flagged on its step, and Step back undoes steps', async () => {
  const app = await openRace();
  const { page, steps } = app;
  const value = steps.locator('.shared-value');
  const status = steps.getByRole('status');
  for (const c of ['A', 'B', 'A']) await steps.getByRole('button', { name: `Step ${c}`, exact: true }).click();
  assert.equal(await status.textContent(), 'A ran SET likes 101 → OK; likes = 101.');
  const clientB = steps.getByRole('group', { name: 'Client B' });
  assert.match(await clientB.textContent(), /local v = 100/);
  assert.match(await clientB.textContent(), /next: SET likes 101/);
  await steps.getByRole('button', { name: 'Step B', exact: true }).click();
  assert.match(await status.textContent(), /Lost update! This write overwrote 1 like/);
  assert.match(
    await status.textContent(),
    /All clients are done: 2 likes acknowledged, so likes should read 102; it reads 101\.$/,
  );
  assert.equal(await value.textContent(), '101');
  const log = steps.getByRole('list', { name: 'Steps taken' }).getByRole('listitem');
  assert.equal(await log.count(), 4);
  assert.match(await log.nth(3).textContent(), /Lost update/);
  for (let i = 0; i < 3; i += 1) assert.doesNotMatch(await log.nth(i).textContent(), /Lost/);
  await assertAccessible(page, 'after a lost update');
  await screenshot(page, 'race-step-by-step');

  const back = steps.getByRole('button', { name: 'Step back' });
  await back.click();
  assert.equal(await log.count(), 3);
  assert.match(await clientB.textContent(), /next: SET likes 101/);
  await back.click();
  await back.click();
  assert.equal(await log.count(), 1);
  assert.match(await clientB.textContent(), /local v = —/);
  assert.equal(await value.textContent(), '100');
  await back.click();
  assert.ok(await back.isDisabled(), 'nothing left to undo');

  await steps.getByRole('button', { name: 'Show me a bad interleaving' }).click();
  assert.match(await status.textContent(), /^Found one: A, B, A, B\./);
  assert.equal(await value.textContent(), '101');

  for (const [slug, clients] of [['incr', '3'], ['sql-atomic', '2']]) {
    await steps.getByRole('combobox', { name: 'Strategy' }).selectOption(slug);
    await steps.getByRole('combobox', { name: 'Clients' }).selectOption(clients);
    await steps.getByRole('button', { name: 'Show me a bad interleaving' }).click();
    assert.equal(
      await status.textContent(),
      'Every possible order of these steps was tried: none loses an update.',
    );
  }
  // WATCH: a conflicting EXEC fails and its client goes back to WATCH.
  await steps.getByRole('combobox', { name: 'Strategy' }).selectOption('watch');
  await steps.getByRole('combobox', { name: 'Clients' }).selectOption('2');
  for (const c of 'AABBBBBA') await steps.getByRole('button', { name: `Step ${c}`, exact: true }).click();
  await steps.getByRole('button', { name: 'Step A', exact: true }).click();
  await steps.getByRole('button', { name: 'Step A', exact: true }).click();
  assert.match(await status.textContent(), /A ran EXEC → \(nil\)/);
  assert.match(await steps.getByRole('group', { name: 'Client A' }).textContent(), /next: WATCH likes/);
  app.assertClean();
  await app.close();
});

test('keyboard: Space plays and pauses, → steps, + and − change speed; not while typing', async () => {
  const app = await openRace('?clients=1000&seed=5');
  const { page, flood } = app;
  const speed = flood.getByRole('combobox', { name: 'Slow motion' });
  const before = await speed.inputValue();
  await flood.scrollIntoViewIfNeeded();
  await flood.getByRole('heading', { name: 'The flood' }).click(); // focus leaves any control
  await page.keyboard.press('+');
  assert.equal(Number(await speed.inputValue()), Number(before) * 2, '+ is one step faster');
  await page.keyboard.press('-');
  assert.equal(await speed.inputValue(), before);
  await page.keyboard.press('ArrowRight');
  const stepped = await results(flood);
  assert.ok(stepped['Simulated time'][0] > 0, '→ ran the first event');
  await page.keyboard.press('Space');
  await flood.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  await page.keyboard.press('Space');
  await flood.getByRole('button', { name: 'Play', exact: true }).waitFor();
  const paused = await results(flood);
  assert.ok(paused['Simulated time'][0] >= stepped['Simulated time'][0]);

  // Typing in a field is typing.
  const seed = flood.getByRole('spinbutton', { name: 'Seed' });
  await seed.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowRight');
  assert.equal(await speed.inputValue(), before);
  assert.equal(await flood.getByRole('button', { name: 'Play', exact: true }).count(), 1);
  assert.deepEqual((await results(flood))['Simulated time'], paused['Simulated time']);
  app.assertClean();
  await app.close();
});

test('reduced motion: Play computes the result at once, with a progress bar for a large flood', async () => {
  const app = await openRace('?clients=100000&seed=1', { reducedMotion: 'reduce' });
  const { page, flood } = app;
  await flood.getByRole('button', { name: 'Play', exact: true }).click();
  await flood.getByRole('progressbar', { name: 'Computing the flood' }).waitFor({ timeout: 5_000 });
  await flood.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 120_000 });
  assert.equal(await flood.getByRole('progressbar').count(), 0);
  const r = await results(flood);
  assert.equal(r['Counter (likes)'][1], 100000);
  assert.ok(r['Lost updates'][0] > 90000);
  await assertAccessible(page, 'after a flood');
  await screenshot(page, 'race-flood-100000');
  app.assertClean();
  await app.close();
});

test('the Lua script counts every like in one round trip, beside WATCH and its retries', async () => {
  const app = await openRace('?clients=1000&seed=7&strategy=lua&vs=watch');
  const { page, flood, steps } = app;
  const left = flood.getByRole('combobox', { name: 'Left strategy' });
  assert.equal(await left.inputValue(), 'lua');
  await left.selectOption('naive');
  await left.selectOption({ label: 'Lua script: GET and SET in one EVAL (atomic)' });
  const r = await runToTheEnd(flood);
  const [lua, watch] = [0, 1];
  assert.equal(r['Counter (likes)'][lua], 1000, 'every like counted');
  assert.equal(r['Lost updates'][lua], 0);
  assert.equal(r['Retries'][lua], 0);
  assert.equal(r['Round trips'][lua], 1000, 'one EVAL each');
  assert.equal(r['Round trips per like'][lua], 1);
  assert.ok(r['Retries'][watch] > 0, 'WATCH retried');
  // An attempt is a like counted, a failed EXEC retried, or the failed EXEC a client gave up after.
  assert.equal(
    r['Round trips'][watch],
    2 * (r['Likes acknowledged'][watch] + r['Retries'][watch] + r['Gave up'][watch]),
    'two round trips per WATCH attempt',
  );
  assert.ok(r['Round trips per like'][watch] > 2, `WATCH: ${r['Round trips per like'][watch]}`);
  assert.match(
    await flood.getByRole('status').textContent(),
    /^Done: with Lua script: GET and SET in one EVAL \(atomic\), the counter ended at 1,000 of 1,000 \(0 likes lost\);/,
  );
  assert.equal(await flood.locator('.script-cost').count(), 0, 'no cost note for 1,000 clients');
  await screenshot(page, 'race-flood-lua');

  // Step by step: one EVAL per client, and no order of the two loses a like.
  await steps.getByRole('combobox', { name: 'Strategy' }).selectOption('lua');
  for (const c of ['A', 'B']) await steps.getByRole('button', { name: `Step ${c}`, exact: true }).click();
  assert.match(await steps.getByRole('status').textContent(), /^B ran EVAL .* → \(integer\) 102; likes = 102\./);
  app.assertClean();
  await app.close();
});

test('a 100,000-client Lua flood says what it costs and computes without freezing the page', async () => {
  const app = await openRace('?clients=100000&seed=1&strategy=lua&vs=incr');
  const { page, flood } = app;
  const note = flood.locator('.script-cost');
  assert.match(await note.textContent(), /about \d+ µs of CPU per EVAL, so 100,000 clients take about \d+ s/);
  // The longest gap between two animation frames while the run computes: the page's responsiveness.
  await page.evaluate(() => {
    window.__gaps = { last: performance.now(), max: 0, frames: 0 };
    const tick = (t) => {
      const g = window.__gaps;
      g.max = Math.max(g.max, t - g.last);
      g.last = t;
      g.frames += 1;
      if (!g.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  const r = await runToTheEnd(flood);
  const seconds = (Date.now() - started) / 1000;
  const gaps = await page.evaluate(() => { window.__gaps.stop = true; return window.__gaps; });
  assert.deepEqual(r['Counter (likes)'], [100000, 100000]);
  assert.equal(r['Round trips'][0], 100000);
  // Figures, not limits (no timed assertions): the cost of an EVAL in this browser.
  console.log(`100,000-client Lua+INCR flood computed in ${seconds.toFixed(1)} s ` +
    `(${(seconds * 1e6 / 100000).toFixed(1)} µs per client, INCR side included); ` +
    `longest frame gap ${gaps.max.toFixed(0)} ms over ${gaps.frames} frames`);
  app.assertClean();
  await app.close();
});

test('pipelining: 100 clients × 10 likes, INCR in one round trip each, GET-then-SET still two per like', async () => {
  const app = await openRace('?clients=100&seed=1&strategy=naive&vs=incr');
  const { page, flood } = app;
  const likes = flood.getByRole('combobox', { name: 'Likes per client' });
  const pipelining = flood.getByRole('checkbox', { name: 'Pipelining' });
  assert.equal(await likes.inputValue(), '1', 'the default: one like each');
  assert.equal(await pipelining.isChecked(), false);
  await likes.selectOption('10');
  const [naive, incr] = [0, 1];
  const oneByOne = await runToTheEnd(flood);
  assert.equal(oneByOne['Counter (likes)'][incr], 1000, 'clients × likes');
  assert.equal(oneByOne['Round trips'][incr], 1000, 'one per like');
  assert.match(
    await flood.getByRole('status').textContent(),
    /ended at 1,000 of 1,000 \(0 likes lost\); arrivals spread over 1 ms; 10 likes per client, one after the other\.$/,
  );

  await pipelining.check();
  const hint = flood.locator('#pipelining-hint');
  assert.equal(await pipelining.getAttribute('aria-describedby'), 'pipelining-hint');
  assert.match(await hint.textContent(), /INCR: all 10 INCRs in one round trip\./);
  assert.match(await hint.textContent(), /GET then SET gains nothing: .* still 2 round trips a like\./);
  const piped = await runToTheEnd(flood);
  assert.deepEqual(
    [piped['Counter (likes)'][incr], piped['Lost updates'][incr], piped['Round trips'][incr]],
    [1000, 0, 100],
    'every like, one round trip per client',
  );
  assert.equal(piped['Round trips per like'][incr], 0.1);
  assert.equal(piped['Commands sent'][incr], 1000);
  // Redis does the same work; the clients stop waiting on the network.
  assert.equal(piped['Time Redis was busy'][incr], 2, '1,000 INCRs of 2 µs');
  assert.equal(piped['Time Redis was busy'][incr], oneByOne['Time Redis was busy'][incr]);
  assert.ok(
    piped['Simulated time'][incr] * 2 < oneByOne['Simulated time'][incr],
    `pipelined ${piped['Simulated time'][incr]} ms vs one by one ${oneByOne['Simulated time'][incr]} ms`,
  );
  console.log(`100 clients × 10 INCRs: pipelined ${piped['Simulated time'][incr]} ms, ` +
    `one by one ${oneByOne['Simulated time'][incr]} ms`);
  // GET-then-SET cannot pipeline across its read: the same run, likes still lost.
  assert.equal(piped['Round trips'][naive], 2000, 'two per like');
  assert.equal(piped['Round trips per like'][naive], 2);
  assert.ok(piped['Lost updates'][naive] > 0);
  assert.equal(piped['Counter (likes)'][naive] + piped['Lost updates'][naive], 1000);
  assert.deepEqual(
    [piped['Counter (likes)'][naive], piped['Simulated time'][naive]],
    [oneByOne['Counter (likes)'][naive], oneByOne['Simulated time'][naive]],
  );
  assert.match(
    await flood.getByRole('status').textContent(),
    /; 10 likes per client, pipelined\.$/,
  );
  await page.waitForURL(/[?&]clients=100&seed=1&strategy=naive&vs=incr&spread=1&speed=\d+&likes=10&pipeline=1$/);
  await assertAccessible(page, 'after a pipelined flood');
  await screenshot(page, 'race-flood-pipelined');
  const href = await flood.getByRole('link', { name: 'Link to this run' }).getAttribute('href');
  assert.match(href, /&likes=10&pipeline=1$/);

  // Back to one like each: the address drops both settings.
  await pipelining.uncheck();
  await likes.selectOption('1');
  await page.waitForURL(/[?&]clients=100&seed=1&strategy=naive&vs=incr&spread=1&speed=\d+$/);
  app.assertClean();
  await app.close();

  // The link reproduces the run, on a 360 px phone, with nothing wider than the screen.
  const phone = await openRace(href, { viewport: { width: 360, height: 740 } });
  assert.equal(await phone.flood.getByRole('combobox', { name: 'Likes per client' }).inputValue(), '10');
  assert.equal(await phone.flood.getByRole('checkbox', { name: 'Pipelining' }).isChecked(), true);
  assert.deepEqual(await runToTheEnd(phone.flood), piped, 'the link reproduces the run');
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${overflow}px wider than the screen`);
  await phone.flood.getByRole('checkbox', { name: 'Pipelining' }).scrollIntoViewIfNeeded();
  await assertAccessible(phone.page, 'pipelined flood on a phone');
  await screenshot(phone.page, 'race-flood-pipelined-phone');
  phone.assertClean();
  await phone.close();
});

test('100 likes per client fit up to 10,000 clients: more clients lower the likes', async () => {
  const app = await openRace('?clients=10000&likes=100&strategy=incr&vs=lua');
  const { page, flood } = app;
  const likes = flood.getByRole('combobox', { name: 'Likes per client' });
  assert.equal(await likes.inputValue(), '100');
  assert.match(await flood.locator('.script-cost').textContent(), /so 1,000,000 likes take about \d+ s/);
  await flood.getByRole('button', { name: '100,000 clients' }).click();
  assert.equal(await likes.inputValue(), '10', 'a million likes at most');
  assert.equal(await likes.locator('option[value="100"]').isDisabled(), true);
  // The address keeps the link's order: read the parameters, not the text.
  await page.waitForURL((url) => url.searchParams.get('clients') === '100000'
    && url.searchParams.get('likes') === '10');
  app.assertClean();
  await app.close();
});
