// End-to-end tests of issue 21, "one page, one truth": the console always names the Redis server it
// talks to (the page's own, or a lab's), a lab's commands run on the lab's server, typing there acts
// as the lab's clients do on the lab's clock, and the clock bar shows that server's clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertAccessible, screenshot, servedBuilds, parseElapsed } from './harness.mjs';

const site = servedBuilds();

async function open(query) {
  const session = await openPage(site.browser);
  await session.page.goto(`${site.root.origin}/${query}`);
  await session.page.getByRole('textbox', { name: 'Command', exact: true }).waitFor();
  // The console-lite's input comes first (tests/e2e/console-lite.test.mjs): wait for the app's.
  await session.page.locator('#static-page').waitFor({ state: 'detached' });
  return session;
}

/** Types `line` into the console and returns its answer. */
async function type(page, line) {
  const entries = page.locator('.console-entry');
  const before = await entries.count();
  const input = page.getByRole('textbox', { name: 'Command', exact: true });
  await input.fill(line);
  await input.press('Enter');
  await entries.nth(before).waitFor();
  const reply = entries.last().locator('.console-reply');
  return (await reply.count()) ? (await reply.textContent()).trim() : '';
}

const prompt = (page) => page.locator('.console-form .prompt').textContent();
const server = (page) => page.locator('#console-server').textContent();
const clockTime = (page) => page.locator('.clock-time').textContent();
const clockCaption = (page) => page.locator('.clock-caption').textContent();

/**
 * Asserts that `later - earlier` is the span `span` (all in ms, as the page shows them). Each readout
 * is cut to tenths on its own (00:00:01.29 shows 00:00:01.2), so the difference of two readouts may be
 * one tenth more than the third: lab start 0.05 and lab time 0.06 show 0.0 and 0.0, their sum 0.11
 * shows 0.1.
 */
function sameSpan(later, earlier, span, message) {
  const off = later - earlier - span;
  assert.ok(off === 0 || off === 100, `${message}: ${later} - ${earlier} is not ${span}`);
}

test('the console names its server like redis-cli: host, [db] after SELECT, (TX); the inspector follows the db', async () => {
  const { page, assertClean, close } = await open('?chapter=atomic');
  assert.equal(await prompt(page), '127.0.0.1:6379>');
  assert.equal(await server(page), "Connected to this page's server (127.0.0.1:6379)");
  const input = page.getByRole('textbox', { name: 'Command', exact: true });
  assert.equal(await input.getAttribute('aria-describedby'), 'console-server', 'the input is described by its server');
  assert.equal(await type(page, 'SET zero 0'), 'OK');
  assert.equal(await type(page, 'SELECT 2'), 'OK');
  assert.equal(await prompt(page), '127.0.0.1:6379[2]>');
  assert.equal(await page.locator('.inspector-server').textContent(), 'Server: 127.0.0.1:6379, db 2');
  assert.equal(await page.locator('.key-count').textContent(), '(empty keyspace)', 'db 2 is empty');
  assert.equal(await type(page, 'SET two 2'), 'OK');
  assert.deepEqual(await page.locator('.inspector .key-name').allTextContents(), ['"two"']);
  assert.equal(await type(page, 'MULTI'), 'OK');
  assert.equal(await prompt(page), '127.0.0.1:6379[2](TX)>');
  assert.equal(await type(page, 'EXEC'), '(empty array)');
  assert.match(await page.locator('.console-entry').last().locator('.prompt').textContent(), /^\[\d\d:\d\d:\d\d\.\d\] 127\.0\.0\.1:6379\[2\]\(TX\)>$/);
  assert.equal(await type(page, 'SELECT 0'), 'OK');
  assert.equal(await prompt(page), '127.0.0.1:6379>');
  assert.deepEqual(await page.locator('.inspector .key-name').allTextContents(), ['"zero"']);
  await assertAccessible(page, 'console with a selected db');
  assertClean();
  await close();
});

test('a lab command connects the console to the lab; typing there acts on the lab, on its clock; one button goes back', async () => {
  const { page, assertClean, close } = await open('?chapter=flash-sale');
  const lab = page.getByRole('region', { name: 'Flash sale: 100 phones, 10,000 buyers', exact: true });
  // Before the lab runs, its server answers nobody, and says so.
  await lab.getByRole('button', { name: 'SET product:iphone:stock 100' }).click();
  assert.equal(await prompt(page), 'flash-sale lab>');
  assert.match(await page.locator('.console-entry').last().locator('.console-reply').textContent(), /^Could not connect to the flash-sale lab: it is not running yet/);
  assert.match(await page.locator('.console-switch').last().textContent(), /^Connected to the flash-sale lab's server/);
  await lab.getByRole('button', { name: 'Start', exact: true }).click();
  assert.match(await page.locator('.console-switch').last().textContent(), /^The flash-sale lab started: its server is new/);
  await lab.getByRole('button', { name: 'Run to the end' }).click();
  const stock = Number((await lab.locator('dd[data-figure="Stock now"]').textContent()).replace(/,/g, ''));
  // Typed commands run on the lab's keyspace, as one more buyer's would.
  assert.equal(await type(page, 'DECR product:iphone:stock'), `(integer) ${stock - 1}`);
  assert.equal(await lab.locator('dd[data-figure="Stock now"]').textContent(), (stock - 1).toLocaleString('en-US'));
  const log = lab.getByRole('list', { name: 'Command log' });
  assert.match(await log.locator('li').last().textContent(), /console\s*DECR product:iphone:stock\s*\(integer\) -?\d/);
  // On the lab's clock: a TTL set now counts down with the lab's time and the key expires on it.
  assert.equal(await type(page, 'SET promo on EX 5'), 'OK');
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await clockCaption(page), 'Flash-sale lab time');
  const labTime = (await lab.locator('.lab-state').textContent()).match(/^Lab time (\S+):/)[1];
  assert.equal(await clockTime(page), labTime, 'the clock bar shows the lab server\'s clock, as the lab does');
  assert.match(await page.locator('.clock-relation').textContent(), /^ \(virtual time \S+, the lab started at \S+\)$/);
  const [virtual, started] = (await page.locator('.clock-relation').textContent()).match(/\d\d:\d\d:\d\d\.\d/g).map(parseElapsed);
  sameSpan(virtual, started, parseElapsed(labTime), 'lab time is the virtual clock since the lab started');
  assert.match(await type(page, 'TTL promo'), /^\(integer\) [45]$/);
  await page.getByRole('button', { name: '+10 s' }).click();
  assert.equal(await type(page, 'GET promo'), '(nil)');
  // A blocking command there waits for nobody (the lab's clients never write for it): it waits out
  // its timeout at once, and the one clock, the lab's time with it, moves on by as much.
  const beforeWait = parseElapsed(await clockTime(page));
  assert.equal(await type(page, 'BZPOPMIN no:such:queue 2'), '(nil)\n(2.00s)');
  assert.equal(parseElapsed(await clockTime(page)) - beforeWait, 2_000);
  assert.equal(await prompt(page), 'flash-sale lab>', 'no second client on a lab');
  assert.equal(await page.locator('.inspector-server').textContent(), 'Server: flash-sale lab, db 0');
  await assertAccessible(page, 'console on a lab');
  await screenshot(page, 'console-on-lab');
  // One control goes back; the page's own server never saw the lab's keys.
  await page.getByRole('button', { name: "Back to this page's server" }).click();
  assert.equal(await prompt(page), '127.0.0.1:6379>');
  assert.equal(await clockCaption(page), 'Virtual time');
  assert.equal(await page.locator('.key-count').textContent(), '(empty keyspace)');
  assert.equal(await type(page, 'GET product:iphone:stock'), '(nil)');
  assert.equal(await page.getByRole('button', { name: "Back to this page's server" }).count(), 0);
  assertClean();
  await close();
});

test('a command outside the labs brings the console back to the page; Run to the end moves the one clock', async () => {
  const { page, assertClean, close } = await open('?chapter=rate-limit');
  const lab = page.getByRole('region', { name: 'Rate limiter, fixed window', exact: true });
  await page.getByRole('button', { name: 'Pause' }).click();
  const before = parseElapsed(await clockTime(page));
  await lab.getByRole('button', { name: 'Start', exact: true }).click();
  await lab.getByRole('button', { name: 'Run to the end' }).click();
  // The lab's run ends 3,900 s after its start: the virtual clock moved on with it, and says so.
  const state = await lab.locator('.lab-state').textContent();
  const [labTime, startedAt] = state.match(/\d\d:\d\d:\d\d\.\d/g).map(parseElapsed);
  assert.ok(labTime >= 3_800_000, `lab time ${labTime}`);
  sameSpan(parseElapsed(await clockTime(page)), startedAt, labTime, 'virtual time = lab start + lab time');
  assert.ok(startedAt >= before);
  assert.match(state, /The run is over; the lab's server keeps its keys\./);
  // A lesson snippet belongs to the page's server: clicking it connects back there.
  await lab.getByRole('list', { name: 'Command log' }).getByRole('button').last().click();
  assert.equal(await prompt(page), 'rate-limit lab>');
  await page.locator('.chapter-text [data-run]').first().click();
  assert.equal(await prompt(page), '127.0.0.1:6379>');
  assert.match(await page.locator('.console-switch').last().textContent(), /^Connected to this page's server \(127\.0\.0\.1:6379\) again\./);
  assert.equal(await clockCaption(page), 'Virtual time');
  assertClean();
  await close();
});

test('at 1280 px the console input shows its whole placeholder', async () => {
  const { page, assertClean, close } = await open('?chapter=atomic');
  const input = page.getByRole('textbox', { name: 'Command', exact: true });
  const [width, needed] = await input.evaluate((el) => {
    const style = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${style.fontSize} ${style.fontFamily}`;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    return [el.clientWidth - padding, ctx.measureText(el.placeholder).width];
  });
  assert.ok(width >= needed * 1.5, `input ${width}px for a ${needed}px placeholder`);
  assertClean();
  await close();
});
