// End-to-end tests of the labs and the summary table, on the release build in headless Chromium:
// run each lab, read the numbers it shows, click a command of its log into the console, and check
// accessibility. Run by scripts/test.sh after `trunk build --release`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertAccessible, screenshot, servedBuilds } from './harness.mjs';

const LABS = {
  likes: 'Likes counter and write-behind',
  sale: 'Flash sale: 100 phones, 10,000 buyers',
  limiter: 'Rate limiter, fixed window',
  board: 'Leaderboard',
  counters: 'Per-user counters and memory',
  durability: 'Durability: what survives a crash',
  points: 'Reward points: one INCRBY or 50 INCRs',
};

const site = servedBuilds();

/** Opens the lesson's chapter `chapter` (its id in the address) and waits for its lab `name`;
 * returns the session and the lab's region. */
async function openLab(chapter, name) {
  const session = await openPage(site.browser);
  await session.page.goto(`${site.root.origin}/?chapter=${chapter}`);
  const lab = session.page.getByRole('region', { name, exact: true });
  await lab.waitFor();
  return { ...session, lab };
}

/** Chooses `option` in the lab's select labelled `label`. */
async function choose(lab, label, option) {
  await lab.getByRole('combobox', { name: label }).selectOption({ label: option });
}

/** Starts the lab and runs it to its end at once. */
async function runToEnd(lab, start = 'Start') {
  await lab.getByRole('button', { name: start, exact: true }).click();
  await lab.getByRole('button', { name: 'Run to the end' }).click();
}

/** The figure labelled `label`, as a number (thousands separators dropped). */
async function figure(lab, label) {
  const text = await lab.locator(`dd[data-figure="${label}"]`).textContent();
  const n = Number(text.replace(/,/g, ''));
  assert.ok(Number.isFinite(n), `figure ${label}: ${JSON.stringify(text)}`);
  return n;
}

/** Clicks the newest command of the lab's log that starts with `prefix`; returns the console's
 * answer, after checking that the console ran it on the lab's own server (its prompt names the
 * lab, in the echo and on the input line). */
async function clickLogLine(page, lab, prefix, server) {
  const command = lab.getByRole('list', { name: 'Command log' }).getByRole('button', { name: new RegExp(`^${prefix}`) }).last();
  return clickCommand(page, command, server);
}

/** Clicks a lab's command button; returns the console's answer (see clickLogLine). */
async function clickCommand(page, command, server) {
  const text = (await command.textContent()).trim();
  const entries = page.locator('.console-entry');
  const before = await entries.count();
  await command.click();
  await entries.nth(before).waitFor();
  const echo = (await entries.last().locator('.typed').textContent()).trim();
  assert.equal(echo, text, 'the console ran the clicked command');
  assert.match(await entries.last().locator('.prompt').textContent(), new RegExp(`\\] ${server}>$`), 'echoed with the lab server\'s prompt');
  assert.equal(await page.locator('.console-form .prompt').textContent(), `${server}>`);
  assert.match(await page.locator('#console-server').textContent(), new RegExp(`^Connected to the ${server}'s server`));
  return (await entries.last().locator('.console-reply').textContent()).trim();
}

/** The list of keys a lab shows (its own keyspace), or the inspector's. */
function labKeys(lab) {
  return lab.locator('.lab-keys ul.keys');
}
function inspectorKeys(page) {
  return page.getByRole('list', { name: 'Keys', exact: true });
}

/** The card of `key` in a list of keys, or null. */
async function card(keys, key) {
  const cards = keys.locator('li.key').filter({ has: keys.page().locator('.key-name').getByText(`"${key}"`, { exact: true }) });
  return (await cards.count()) ? cards.first() : null;
}

/** The integer a string key holds in a list of keys (0 when the key is missing). */
async function intValue(keys, key) {
  const c = await card(keys, key);
  if (!c) return 0;
  const text = (await c.locator('.key-value').textContent()).trim();
  assert.match(text, /^"-?\d+"$/, `${key} holds an integer: ${text}`);
  return Number(text.slice(1, -1));
}

/** The value of `field` (a hash field, a sorted set member) in the key's table, as a number. */
async function tableValue(keys, key, field) {
  const c = await card(keys, key);
  assert.ok(c, `${key} is shown`);
  const row = c.locator('tbody tr').filter({ has: keys.page().locator('td').first().getByText(`"${field}"`, { exact: true }) });
  if (!(await row.count())) return 0;
  return Number((await row.first().locator('td').nth(1).textContent()).replace(/"/g, ''));
}

/** The key a log command names (its second word). */
function keyOf(command) {
  return command.trim().split(/\s+/)[1];
}

/** The text of the newest log command that starts with `prefix`. */
async function logCommand(lab, prefix) {
  return (await lab.getByRole('list', { name: 'Command log' }).getByRole('button', { name: new RegExp(`^${prefix}`) }).last().textContent()).trim();
}

/** Checks that the inspector now shows the lab's keyspace: `key` reads the same in both. */
async function inspectorFollows(page, lab, key) {
  assert.equal(await intValue(inspectorKeys(page), key), await intValue(labKeys(lab), key), `${key}: inspector and lab agree`);
  assert.match(await page.locator('.inspector-server').textContent(), /lab, db 0$/);
}

test('likes: the naive flush loses likes, GETDEL loses none; a log line runs in the console', async () => {
  const { page, lab, assertClean, close } = await openLab('likes', LABS.likes);
  await choose(lab, 'The job empties the counter with', 'GET, UPDATE, then SET 0 (naive)');
  await runToEnd(lab);
  const counted = await figure(lab, 'Likes counted by Redis');
  assert.equal(counted, 10000);
  const lost = await figure(lab, 'Lost by the flush');
  assert.ok(lost > 0, `lost ${lost}`);
  assert.equal((await figure(lab, 'In the SQL row')) + (await figure(lab, 'Still in Redis')) + lost, counted);
  await choose(lab, 'The job empties the counter with', 'GETDEL (atomic)');
  await runToEnd(lab);
  assert.equal(await figure(lab, 'Lost by the flush'), 0);
  assert.equal(await figure(lab, 'In the SQL row'), 10000);
  // A log line runs on the lab's server: its answer follows the lab's own keyspace.
  const likes = await intValue(labKeys(lab), 'post:99:likes');
  assert.equal(await clickLogLine(page, lab, 'INCR post:99:likes', 'likes lab'), `(integer) ${likes + 1}`);
  assert.equal(await intValue(labKeys(lab), 'post:99:likes'), likes + 1);
  await inspectorFollows(page, lab, 'post:99:likes');
  await assertAccessible(page, 'likes lab');
  await screenshot(page, 'lab-likes');
  assertClean();
  await close();
});

test('flash sale: DECR sells exactly 100 and leaves -9,900; compensation ends at 0; GET/SET oversells', async () => {
  const { page, lab, assertClean, close } = await openLab('flash-sale', LABS.sale);
  await runToEnd(lab);
  assert.equal(await figure(lab, 'Units sold'), 100);
  assert.equal(await figure(lab, 'Stock now'), -9900);
  assert.equal(await figure(lab, 'Oversold units'), 0);
  await choose(lab, 'Buyers take a unit with', 'DECR, then INCR back if < 0');
  await runToEnd(lab);
  assert.equal(await figure(lab, 'Units sold'), 100);
  assert.equal(await figure(lab, 'Stock now'), 0);
  assert.ok((await figure(lab, 'Lowest stock seen')) < 0);
  await choose(lab, 'Buyers take a unit with', 'GET, check, SET v-1 (naive)');
  await runToEnd(lab);
  assert.ok((await figure(lab, 'Oversold units')) > 0);
  const stock = await figure(lab, 'Stock now');
  assert.equal(await intValue(labKeys(lab), 'product:iphone:stock'), stock);
  assert.equal(await clickLogLine(page, lab, 'GET product:iphone:stock', 'flash-sale lab'), `"${stock}"`);
  await inspectorFollows(page, lab, 'product:iphone:stock');
  // The bounded decrement: BITFIELD … OVERFLOW FAIL stops at 0 in one command.
  await choose(lab, 'Buyers take a unit with', 'BITFIELD … OVERFLOW FAIL INCRBY u32 0 -1');
  await runToEnd(lab);
  assert.equal(await figure(lab, 'Units sold'), 100);
  assert.equal(await figure(lab, 'Stock now'), 0);
  assert.equal(await figure(lab, 'Lowest stock seen'), 0);
  assert.equal(await figure(lab, 'Oversold units'), 0);
  await assertAccessible(page, 'flash sale lab');
  assertClean();
  await close();
});

test('rate limiter: a crash between INCR and EXPIRE leaks a key; the window edge lets 200 through', async () => {
  const { page, lab, assertClean, close } = await openLab('rate-limit', LABS.limiter);
  await lab.getByRole('button', { name: 'Start', exact: true }).click();
  await lab.getByRole('button', { name: /^Crash user 123/ }).click();
  await lab.getByRole('button', { name: 'Run to the end' }).click();
  assert.equal(await figure(lab, 'User 123 crashes'), 1);
  assert.ok((await figure(lab, 'Keys that never expire')) >= 1);
  assert.ok((await figure(lab, 'User 123 blocked')) > 0);
  assert.equal(await figure(lab, 'User 42 blocked'), 0);
  // The lab's claim holds in the console: the leaked key has no TTL, on the lab's server.
  const ttl = lab.getByRole('button', { name: /^TTL user:123:min:/ }).first();
  await ttl.waitFor();
  const leaked = keyOf(await ttl.textContent());
  const leakedCard = await card(labKeys(lab), leaked);
  assert.ok(leakedCard, `${leaked} is in the lab's keyspace`);
  assert.equal(await leakedCard.locator('.key-ttl').count(), 0, 'shown without a TTL');
  assert.equal(await clickCommand(page, ttl, 'rate-limit lab'), '(integer) -1');
  const incr = await logCommand(lab, 'INCR user:');
  const count = await intValue(labKeys(lab), keyOf(incr));
  assert.equal(await clickLogLine(page, lab, 'INCR user:', 'rate-limit lab'), `(integer) ${count + 1}`);
  await inspectorFollows(page, lab, keyOf(incr));
  await lab.getByRole('button', { name: /^Try the window edge/ }).click();
  await lab.getByRole('button', { name: 'Run to the end' }).click();
  assert.equal(await figure(lab, 'Most allowed in 2 s (user 123)'), 200);
  await assertAccessible(page, 'rate limiter lab');
  assertClean();
  await close();
});

test('rate limiter: SET … NX then INCR leaks a key when the client stalls between them; MULTI/EXEC does not', async () => {
  const { page, lab, assertClean, close } = await openLab('rate-limit', LABS.limiter);
  await choose(lab, 'Pair INCR with its expiry by', 'SET key 0 EX 60 NX, then INCR');
  await lab.getByRole('button', { name: 'Start', exact: true }).click();
  await lab.getByRole('button', { name: /^Stall user 123/ }).click();
  await lab.getByRole('button', { name: 'Run to the end' }).click();
  assert.equal(await figure(lab, 'User 123 crashes'), 0);
  assert.ok((await figure(lab, 'Keys that never expire')) >= 1);
  // The leaked key was born again by the INCR and has no TTL: its button asks the lab's server.
  const ttl = lab.getByRole('button', { name: /^TTL user:123:min:/ }).first();
  await ttl.waitFor();
  assert.equal(await clickCommand(page, ttl, 'rate-limit lab'), '(integer) -1');
  await choose(lab, 'Pair INCR with its expiry by', 'MULTI / INCR / EXPIRE / EXEC');
  await lab.getByRole('button', { name: 'Start', exact: true }).click();
  await lab.getByRole('button', { name: /^Stall user 123/ }).click();
  await lab.getByRole('button', { name: 'Run to the end' }).click();
  assert.equal(await figure(lab, 'Keys that never expire'), 0);
  await assertAccessible(page, 'rate limiter lab, stalled');
  await screenshot(page, 'lab-rate-limiter');
  assertClean();
  await close();
});

test('leaderboard: a live top 10, a followed player, ties ordered by name', async () => {
  const { page, lab, assertClean, close } = await openLab('leaderboard', LABS.board);
  await runToEnd(lab);
  const rows = lab.getByRole('table', { name: /^Top 10/ }).locator('tbody tr');
  assert.equal(await rows.count(), 10);
  await choose(lab, 'Follow player', 'ada');
  await lab.getByRole('button', { name: 'Give ada 10 points' }).click();
  assert.match(await lab.locator('.standing').textContent(), /^ada is number \d+ with \d+ points\.$/);
  const scores = (await rows.locator('td:nth-child(3)').allTextContents()).map(Number);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  const zincrby = await logCommand(lab, 'ZINCRBY leaderboard');
  const [, , points, player] = zincrby.split(/\s+/);
  const had = await tableValue(labKeys(lab), 'leaderboard', player);
  assert.equal(await clickLogLine(page, lab, 'ZINCRBY leaderboard', 'leaderboard lab'), `"${had + Number(points)}"`);
  assert.equal(await tableValue(labKeys(lab), 'leaderboard', player), had + Number(points));
  assert.equal(await tableValue(inspectorKeys(page), 'leaderboard', player), had + Number(points));
  await assertAccessible(page, 'leaderboard lab');
  assertClean();
  await close();
});

test('per-user counters: hashes cost less, until field 513', async () => {
  const { page, lab, assertClean, close } = await openLab('per-user', LABS.counters);
  await runToEnd(lab);
  const strings = await figure(lab, 'Bytes, string keys');
  const hashes = await figure(lab, 'Bytes, hashes');
  assert.ok(hashes < strings, `${hashes} < ${strings}`);
  assert.equal(await figure(lab, 'Hashes'), 200);
  // One user's hash as Redis reports it: still a listpack, and its MEMORY USAGE in bytes.
  const figureText = (label) => lab.locator(`dd[data-figure="${label}"]`).textContent();
  assert.equal(await figureText('OBJECT ENCODING user:0'), 'listpack');
  assert.match(await figureText('MEMORY USAGE user:0'), /^\d+ B$/);
  const chart = lab.getByRole('img', { name: /^Bytes per counter/ });
  assert.match(await chart.getAttribute('aria-label'), /513: strings \d+, hash \d+ \(hash table\)/);
  assert.match(await lab.textContent(), /turned into a hash table at field 513/);
  const hincrby = await logCommand(lab, 'HINCRBY user:');
  const [, user, field, by] = hincrby.split(/\s+/);
  const held = await tableValue(labKeys(lab), user, field);
  assert.equal(await clickLogLine(page, lab, 'HINCRBY user:', 'counters lab'), `(integer) ${held + Number(by)}`);
  assert.equal(await tableValue(inspectorKeys(page), user, field), held + Number(by));
  await assertAccessible(page, 'counters lab');
  assertClean();
  await close();
});

test('durability: crash mid-run; always and a killed process lose nothing', async () => {
  const { page, lab, assertClean, close } = await openLab('durability', LABS.durability);
  await lab.getByRole('button', { name: 'Start the likes', exact: true }).click();
  await page.waitForTimeout(2500);
  await lab.getByRole('button', { name: 'Crash Redis now' }).click();
  const counted = await figure(lab, 'Likes counted by Redis');
  assert.ok(counted > 0);
  const table = lab.getByRole('table', { name: /^After the crash/ });
  const cell = async (row, column) => (await table.getByRole('row', { name: new RegExp(`^${row}`) }).locator('td').nth(column).textContent()).trim();
  for (const column of [0, 1]) {
    assert.equal(await cell('AOF, appendfsync always', column), `${counted.toLocaleString('en-US')} kept, 0 lost`);
  }
  assert.match(await cell('AOF, appendfsync everysec', 0), / kept, 0 lost$/);
  assert.match(await cell('no persistence', 1), /^0 kept, /);
  // The replica promoted at the crash: what it has plus what it lost is what the primary answered;
  // WAIT 1 confirmed nothing it lacks.
  const onReplica = await figure(lab, 'On the replica');
  const lostInFailover = await figure(lab, 'Answered, lost in a failover');
  assert.equal(onReplica + lostInFailover, counted);
  assert.ok(await figure(lab, 'Confirmed by WAIT 1') <= onReplica);
  assert.equal(await figure(lab, 'Confirmed by WAIT, lost'), 0);
  // A crashed Redis answers nobody: the console says so rather than answering from elsewhere.
  assert.match(await clickLogLine(page, lab, 'INCR post:99:likes', 'durability lab'), /^Could not connect to the durability lab: its Redis crashed at [\d.]+ s/);
  // A run that ends without a crash: the console's INCR counts on the lab's counter.
  await lab.getByRole('button', { name: 'Start the likes', exact: true }).click();
  await lab.getByRole('button', { name: 'Run to the end' }).click();
  const total = await intValue(labKeys(lab), 'post:99:likes');
  assert.ok(total > 0);
  assert.equal(await clickLogLine(page, lab, 'INCR post:99:likes', 'durability lab'), `(integer) ${total + 1}`);
  await inspectorFollows(page, lab, 'post:99:likes');
  await assertAccessible(page, 'durability lab');
  await screenshot(page, 'lab-durability');
  assertClean();
  await close();
});

/** A figure's text as shown. */
async function figureText(lab, label) {
  return (await lab.locator(`dd[data-figure="${label}"]`).textContent()).trim();
}

test('reward points: one INCRBY a reward against 50 INCRs; dying clients half-give only the INCRs; overflow is refused', async () => {
  const { page, lab, assertClean, close } = await openLab('core-commands', LABS.points);
  await choose(lab, 'Clients that die mid-reward', '0 %');
  await runToEnd(lab);
  assert.equal(await figure(lab, 'Round trips, 50 INCRs a reward'), 5000);
  assert.equal(await figure(lab, 'Round trips, one INCRBY a reward'), 100);
  for (const way of ['INCRs', 'INCRBY']) {
    assert.equal(await figure(lab, `Balance, ${way}`), 5000, way);
    assert.equal(await figure(lab, `Half-given rewards, ${way}`), 0, way);
  }
  const ms = async (label) => Number((await figureText(lab, label)).replace(/ ms$/, ''));
  const slow = await ms('Time a reward takes, INCRs');
  const fast = await ms('Time a reward takes, INCRBY');
  assert.ok(fast >= 0.5 && fast <= 2 && slow > 40 * fast, `${slow} ms vs ${fast} ms`);

  // Clients die: the INCR loop leaves half-given rewards, INCRBY never does.
  await choose(lab, 'Clients that die mid-reward', '30 %');
  await runToEnd(lab);
  assert.ok((await figure(lab, 'Clients that died')) > 0);
  assert.ok((await figure(lab, 'Half-given rewards, INCRs')) > 0);
  assert.equal(await figure(lab, 'Half-given rewards, INCRBY'), 0);
  assert.equal((await figure(lab, 'Points added, INCRBY')) % 50, 0);
  assert.notEqual(await figure(lab, 'Points added, INCRs'), await figure(lab, 'Points of acknowledged rewards, INCRs'));
  assert.equal(await lab.locator('.figure.alert dd[data-figure="Half-given rewards, INCRs"]').count(), 1);

  // Overflow: 7 below the limit, INCRBY 50 is refused and the balance does not move.
  await choose(lab, 'Clients that die mid-reward', '0 %');
  await choose(lab, 'The log shows', 'one INCRBY per reward');
  await choose(lab, 'Balance starts at', '9223372036854775800, 7 below the 64-bit limit');
  await runToEnd(lab);
  assert.equal(await figure(lab, 'Rewards refused (overflow), INCRBY'), 100);
  assert.equal(await figureText(lab, 'Balance, INCRBY'), '9,223,372,036,854,775,800');
  assert.equal(await figureText(lab, 'Balance, INCRs'), '9,223,372,036,854,775,807');
  assert.ok((await figure(lab, 'Half-given rewards, INCRs')) >= 1);
  assert.equal(await figure(lab, 'Points added, INCRBY'), 0);
  await lab.getByRole('list', { name: 'Command log' }).getByText('(error) ERR increment or decrement would overflow').first().waitFor();
  assert.equal(await clickLogLine(page, lab, 'INCRBY user:42:points 50', 'points lab'), '(error) ERR increment or decrement would overflow');
  assert.equal((await (await card(labKeys(lab), 'user:42:points')).locator('.key-value').textContent()).trim(), '"9223372036854775800"');
  await assertAccessible(page, 'points lab');
  await screenshot(page, 'lab-points');
  assertClean();
  await close();
});

test('reward points fit a 360 px phone', async () => {
  const session = await openPage(site.browser, { viewport: { width: 360, height: 740 } });
  const { page, assertClean, close } = session;
  await page.goto(`${site.root.origin}/?chapter=core-commands`);
  const lab = page.getByRole('region', { name: LABS.points, exact: true });
  await choose(lab, 'Balance starts at', '9223372036854775800, 7 below the 64-bit limit');
  await runToEnd(lab);
  await lab.locator('summary', { hasText: 'How it was checked' }).click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${overflow}px wider than the screen`);
  await assertAccessible(page, 'points lab on a phone');
  await screenshot(page, 'phone-lab-points');
  assertClean();
  await close();
});

test('summary table: a row opens the chapter of its lab; its example runs in the console', async () => {
  const { page, assertClean, close } = await openPage(site.browser);
  await page.goto(`${site.root.origin}/?chapter=summary`);
  const summary = page.getByRole('table', { name: 'Which command for which use' });
  await summary.waitFor();
  assert.equal(await summary.locator('tbody tr').count(), 8);
  const example = summary.getByRole('row', { name: /^DECR/ }).getByRole('button', { name: 'DECR product:iphone:stock' });
  const entries = page.locator('.console-entry');
  await example.click();
  await entries.first().waitFor();
  assert.equal((await entries.last().locator('.console-reply').textContent()).trim(), '(integer) -1');
  await assertAccessible(page, 'summary table');
  // The article's Data Structure column.
  assert.equal(await summary.getByRole('columnheader', { name: 'Data structure' }).count(), 1);
  assert.equal((await summary.getByRole('row', { name: /^ZINCRBY/ }).locator('td').first().textContent()).trim(), 'Sorted set');
  // INCRBY opens the reward-points lab, in the chapter whose box shows its overflow.
  await summary.getByRole('row', { name: /^INCRBY / }).getByRole('link', { name: 'Open the points lab' }).click();
  await page.getByRole('region', { name: LABS.points, exact: true }).waitFor();
  assert.match(page.url(), /[?&]chapter=core-commands/);
  await page.locator('#integers [data-run="INCRBY big 1"]').first().waitFor();
  await page.goto(`${site.root.origin}/?chapter=summary`);
  await summary.waitFor();
  await summary.getByRole('row', { name: /^ZINCRBY/ }).getByRole('link', { name: 'Open the leaderboard lab' }).click();
  await page.getByRole('region', { name: LABS.board, exact: true }).waitFor();
  assert.match(page.url(), /[?&]chapter=leaderboard/);
  assertClean();
  await close();
});
