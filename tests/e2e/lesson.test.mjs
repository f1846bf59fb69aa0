// End-to-end tests of the guided lesson (issue 7) on the release build: a learner walks it by
// keyboard, answers the quiz, comes back later; a teacher projects it; a phone shows it. Every test
// fails on any console error, uncaught exception or failed request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  openPage, assertAccessible, screenshot, servedBuilds, scrollSettled, SUBPATH,
} from './harness.mjs';

const STORAGE_KEY = 'incr-lab.progress';
const CHAPTERS = [
  'Atomic increments', 'The core commands', 'The race, live', 'Likes: a flood on one key',
  'Flash sale: 100 phones, 10,000 buyers', 'Rate limiting, one window a minute',
  'Leaderboards with ZINCRBY', 'Per-user counters in a hash', 'Counters you cannot lose',
  'Pros and cons', 'Which command for which counter', 'Quiz', 'Challenges: break it, fix it',
];
const IDS = ['atomic', 'core-commands', 'race', 'likes', 'flash-sale', 'rate-limit', 'leaderboard',
  'per-user', 'durability', 'pros-cons', 'summary', 'quiz', 'challenges'];

const site = servedBuilds();

/** Opens the app at `query` and waits until the lesson shows a chapter. */
async function openLesson(query = '', options = {}, origin = site.root.origin, base = '/') {
  const session = await openPage(site.browser, options);
  await session.page.goto(`${origin}${base}${query}`);
  await chapterHeading(session.page).waitFor();
  return session;
}

function chapterHeading(page) {
  return page.locator('#chapter-title');
}

async function chapterTitle(page) {
  return (await chapterHeading(page).textContent()).replace(/^\d+\.\s*/, '').trim();
}

/**
 * Presses PageDown the way a presenter does, one press after the page has come to rest: scrolling
 * is smooth (unless reduced motion is asked for), and a press while the page still glides toward
 * its bottom only scrolls, as it would for a person.
 */
async function pageDown(page) {
  await page.keyboard.press('PageDown');
  await scrollSettled(page, 3);
}

/** The text of the console's newest output. */
async function lastOutput(page) {
  const reply = page.locator('.console-entry').last().locator('.console-reply');
  return (await reply.count()) ? reply.textContent() : '';
}

/** The score line at the top of the quiz. */
function score(page) {
  return page.locator('#quiz-score').textContent();
}

/** Opens the contents disclosure (where the progress tools are) if it is closed. */
async function openContents(page) {
  await page.locator('details.contents').evaluate((d) => { d.open = true; });
}

function question(page, id) {
  return page.locator(`#q-${id}`);
}

test('a learner walks the whole lesson by keyboard only, and every chapter passes axe', async () => {
  const app = await openLesson('', { viewport: { width: 1280, height: 860 } });
  const { page } = app;
  assert.equal(await chapterTitle(page), CHAPTERS[0]);
  assert.equal(await page.title(), 'incr-lab — Redis counters, hands-on');
  for (let i = 0; i < CHAPTERS.length; i += 1) {
    assert.equal(await chapterTitle(page), CHAPTERS[i], `chapter ${i + 1}`);
    assert.equal(new URL(page.url()).searchParams.get('chapter'), IDS[i], 'the address names it');
    await page.locator('.lesson-progress').getByText(`Chapter ${i + 1} of ${CHAPTERS.length}`).waitFor();
    await assertAccessible(page, `chapter ${IDS[i]}`);
    await screenshot(page, `lesson-${String(i + 1).padStart(2, '0')}-${IDS[i]}`);
    if (i === CHAPTERS.length - 1) break;
    // PageDown scrolls a long chapter first, then moves on: the way a clicker drives slides.
    for (let presses = 0; (await chapterTitle(page)) === CHAPTERS[i]; presses += 1) {
      assert.ok(presses < 60, `PageDown leaves chapter ${IDS[i]}`);
      await pageDown(page);
    }
    // Focus lands on the new chapter's heading, so a screen reader announces it.
    await page.waitForFunction(() => document.activeElement?.id === 'chapter-title');
  }
  // Back with PageUp (from the top of a chapter) and the arrows (off the race chapter).
  await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
  await page.keyboard.press('PageUp');
  await page.waitForFunction((t) => document.querySelector('#chapter-title')?.textContent.endsWith(t), CHAPTERS[11]);
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((t) => document.querySelector('#chapter-title')?.textContent.endsWith(t), CHAPTERS[10]);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((t) => document.querySelector('#chapter-title')?.textContent.endsWith(t), CHAPTERS[11]);
  // The browser's Back button goes through the same history.
  await page.goBack();
  await page.waitForFunction((t) => document.querySelector('#chapter-title')?.textContent.endsWith(t), CHAPTERS[10]);

  // The contents, by keyboard: open the disclosure, Tab to a chapter, Enter.
  await page.getByText('Contents', { exact: true }).focus();
  await page.keyboard.press('Enter');
  const toc = page.getByRole('navigation', { name: 'Chapters' });
  await toc.getByRole('link', { name: '1. Atomic increments' }).waitFor();
  assert.equal(await toc.getByRole('link', { name: '11. Which command for which counter' }).getAttribute('aria-current'), 'page');
  assert.equal(await toc.getByText('(visited)').count(), CHAPTERS.length, 'every chapter ticked');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => document.querySelector('#chapter-title')?.textContent.endsWith(t), CHAPTERS[1]);
  assert.equal(await page.locator('details.contents').getAttribute('open'), null, 'the contents closed');

  // A snippet, by keyboard: Tab to it, Enter runs it in the console and echoes the answer.
  await page.locator('.chapter [data-run="INCR page:views"]').first().focus();
  await page.keyboard.press('Enter');
  assert.equal(await lastOutput(page), '(integer) 1');
  assert.equal(await page.locator('.chapter .run-result').first().textContent(), 'INCR page:views → (integer) 1');
  app.assertClean();
  await app.close();
});

test('the memory chapter shows OBJECT ENCODING and MEMORY USAGE live', async () => {
  const app = await openLesson('?chapter=per-user');
  const { page } = app;
  const run = async (command) => {
    const entries = await page.locator('.console-entry').count();
    await page.locator(`.chapter [data-run="${command}"]`).first().click();
    await page.waitForFunction((n) => document.querySelectorAll('.console-entry').length > n, entries);
    return lastOutput(page);
  };
  for (const field of ['likes', 'views', 'followers']) await run(`HINCRBY user:42 ${field} 1`);
  assert.equal(await run('OBJECT ENCODING user:42'), '"listpack"');
  const bytes = (reply) => Number(/^\(integer\) (\d+)$/.exec(reply)?.[1]);
  const small = bytes(await run('MEMORY USAGE user:42'));
  assert.ok(small > 0, `MEMORY USAGE ${small}`);
  assert.equal(await run('CONFIG SET hash-max-listpack-entries 2'), 'OK');
  await run('HINCRBY user:42 shares 1');
  assert.equal(await run('OBJECT ENCODING user:42'), '"hashtable"');
  const large = bytes(await run('MEMORY USAGE user:42'));
  assert.ok(large > 2 * small, `a hash table costs more: ${large} vs ${small}`);
  assert.equal(await run('CONFIG SET hash-max-listpack-entries 512'), 'OK');
  app.assertClean();
  await app.close();
});

test('the quiz: right and wrong answers, typed ones judged by running them, score, try it, retry', async () => {
  const app = await openLesson('?chapter=quiz');
  const { page } = app;
  assert.match(await score(page), /0 right of 0 answered, 33 to go/);

  // Typed, right, and phrased unlike the model answer (INCR video:views).
  const views = question(page, 'views');
  await views.getByRole('textbox', { name: 'Your answer' }).fill('incrby video:views 1');
  await views.getByRole('button', { name: 'Check' }).click();
  await views.locator('.verdict.right').waitFor();
  assert.equal(await views.locator('.verdict').textContent(), '✓ Right.');
  assert.match(await views.locator('.feedback').textContent(), /Redis answered: \(integer\) 42/);
  assert.match(await views.locator('.explanation').textContent(), /INCR adds one in a single step/);

  // Typed, right, another phrasing: Enter submits.
  const decrement = question(page, 'decrement');
  await decrement.getByRole('textbox', { name: 'Your answer' }).fill('DECRBY "product:iphone:stock" 1');
  await decrement.getByRole('textbox', { name: 'Your answer' }).press('Enter');
  await decrement.locator('.verdict.right').waitFor();

  // Typed, wrong: a fixed SET looks right for one starting value only.
  const reward = question(page, 'reward');
  await reward.getByRole('textbox', { name: 'Your answer' }).fill('SET user:points 150');
  await reward.getByRole('button', { name: 'Check' }).click();
  await reward.locator('.verdict.wrong').waitFor();
  const wrongText = await reward.locator('.feedback').textContent();
  assert.match(wrongText, /✗ Not quite\. After SET user:points 7, your command leaves GET user:points answering "150" where it should answer "57"\./);
  // Code is set as code, never as literal backticks; every sentence starts with a capital.
  assert.ok(!wrongText.includes('`'), wrongText);
  assert.deepEqual(await reward.locator('.verdict code').allTextContents(), ['SET user:points 7', 'GET user:points', '"150"', '"57"']);
  for (const [, next] of wrongText.matchAll(/[.!?] (\S)/g)) assert.match(next, /[A-Z0-9"(“]/, wrongText);
  assert.match(wrongText, /One right answer: INCRBY user:points 50/);

  // Typed, an error from Redis.
  const board = question(page, 'leaderboard');
  await board.getByRole('textbox', { name: 'Your answer' }).fill('ZINCRBY game:scores ten alice');
  await board.getByRole('button', { name: 'Check' }).click();
  await board.locator('.verdict.wrong').waitFor();
  assert.match(await board.locator('.feedback').textContent(), /Redis answered an error: ERR value is not a valid float/);

  // Multiple choice, right and wrong; focus moves to the verdict.
  const stock = question(page, 'stock-zero');
  await stock.getByRole('button', { name: /^\(integer\) -1/ }).click();
  await stock.locator('.verdict.right').waitFor();
  // The move happens on the next animation frame, once the verdict is on the page.
  await page.waitForFunction(() => document.activeElement?.id === 'q-stock-zero-feedback');
  assert.match(await stock.getByRole('button', { name: /^\(integer\) -1/ }).textContent(), /✓ right answer/);
  const crash = question(page, 'crash-between');
  await crash.getByRole('button', { name: /^It expires after 60 seconds anyway/ }).click();
  await crash.locator('.verdict.wrong').waitFor();
  assert.match(await crash.getByRole('button', { name: /^It expires after 60 seconds/ }).textContent(), /✗ your answer/);
  assert.equal(await crash.getByRole('button', { name: /^It never expires/ }).getAttribute('aria-pressed'), 'false');
  assert.match(await crash.getByRole('button', { name: /^It never expires/ }).textContent(), /✓ right answer/);
  const window = question(page, 'window-edge');
  await window.getByRole('button', { name: '101', exact: true }).click();
  await window.locator('.verdict.wrong').waitFor();

  assert.match(await score(page), /3 right of 7 answered, 26 to go/);
  assert.match(await page.locator('.quiz-tally').textContent(), /Quiz 3\/33/);
  await assertAccessible(page, 'quiz with answers');
  await screenshot(page, 'lesson-quiz-answered');

  // "Try it" runs the question's commands in the console.
  await stock.getByRole('button', { name: /^Try it in the console/ }).click();
  assert.equal(await lastOutput(page), '(integer) -1');

  // Answer again: the newest answer counts.
  await window.getByRole('button', { name: /^200/ }).click();
  await window.locator('.verdict.right').waitFor();
  assert.match(await score(page), /4 right of 7 answered/);

  // Progress survives a reload: the chapter, every answer and the score.
  await page.reload();
  await chapterHeading(page).waitFor();
  assert.equal(await chapterTitle(page), 'Quiz');
  assert.match(await score(page), /4 right of 7 answered, 26 to go/);
  assert.equal(await question(page, 'views').getByRole('textbox', { name: 'Your answer' }).inputValue(), 'incrby video:views 1');
  await question(page, 'reward').locator('.verdict.wrong').waitFor();
  const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY));
  assert.equal(saved.app, 'incr-lab');
  assert.equal(saved.version, 1);
  assert.equal(saved.answers.views, 'incrby video:views 1');

  // Retry: the answers go, the chapters stay.
  await page.getByRole('button', { name: 'Start the quiz again' }).click();
  assert.match(await score(page), /0 right of 0 answered, 33 to go/);
  assert.equal(await question(page, 'views').getByRole('textbox', { name: 'Your answer' }).inputValue(), '');
  app.assertClean();
  await app.close();
});

test('damaged, foreign or future progress in storage is ignored with a notice, never a dead page', async () => {
  for (const [stored, reason] of [
    ['{"app":"incr-lab","version":1,"visited":["race"', /damaged/],
    ['{"theme":"dark"}', /not incr-lab progress/],
    ['{"app":"incr-lab","version":99}', /format version 99/],
    ['\u0000\uffff garbage', /damaged/],
  ]) {
    const session = await openPage(site.browser);
    const { page } = session;
    await page.addInitScript(([k, v]) => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem(k, v);
        sessionStorage.setItem('seeded', '1');
      }
    }, [STORAGE_KEY, stored]);
    await page.goto(`${site.root.origin}/`);
    await chapterHeading(page).waitFor();
    const notice = page.locator('.notice');
    await notice.waitFor();
    assert.match(await notice.textContent(), reason);
    assert.match(await notice.textContent(), /starts from the beginning/);
    assert.equal(await chapterTitle(page), CHAPTERS[0]);
    // Alive: the console answers and the lesson moves on.
    await page.getByRole('textbox', { name: 'Command', exact: true }).fill('PING');
    await page.getByRole('textbox', { name: 'Command', exact: true }).press('Enter');
    await page.locator('.console-entry').last().getByText('PONG').waitFor();
    await page.locator('.pager-next').click();
    assert.equal(await chapterTitle(page), CHAPTERS[1]);
    await assertAccessible(page, 'with the notice');
    if (reason.source === 'damaged') await screenshot(page, 'lesson-damaged-storage');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await page.locator('.notice').count(), 0);
    // The next step saved good progress over the bad.
    const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY));
    assert.equal(saved.chapter, 'core-commands');
    session.assertClean();
    await session.close();
  }
});

test('progress goes to a file and comes back; a file that is not progress is refused', async () => {
  const app = await openLesson('?chapter=leaderboard');
  const { page } = app;
  await openContents(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save to a file' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'incr-lab-progress.json');
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.deepEqual(
    { app: exported.app, version: exported.version, chapter: exported.chapter, visited: exported.visited },
    { app: 'incr-lab', version: 1, chapter: 'leaderboard', visited: ['leaderboard'] },
  );

  const dir = await mkdtemp(path.join(tmpdir(), 'incr-lab-'));
  const good = path.join(dir, 'good.json');
  await writeFile(good, JSON.stringify({
    app: 'incr-lab', version: 1, chapter: 'flash-sale', visited: ['atomic', 'flash-sale'],
    answers: { 'stock-zero': '0', views: 'INCR video:views' }, classroom: false,
  }));
  await page.getByLabel('Load from a file').setInputFiles(good);
  await page.locator('.notice').getByText('Progress loaded from good.json.').waitFor();
  assert.equal(await chapterTitle(page), CHAPTERS[4]);
  assert.match(await page.locator('.quiz-tally').textContent(), /Quiz 2\/33/);

  const bad = path.join(dir, 'bad.json');
  await writeFile(bad, '{"some":"other app"}');
  await openContents(page);
  await page.getByLabel('Load from a file').setInputFiles(bad);
  await page.locator('.notice').getByText(/bad\.json was not loaded because it is not incr-lab progress\. Your progress is unchanged\./).waitFor();
  assert.equal(await chapterTitle(page), CHAPTERS[4]);

  // Reset, in two steps.
  await openContents(page);
  await page.getByRole('button', { name: 'Reset progress…' }).click();
  await page.getByRole('group', { name: 'Confirm the reset' }).getByRole('button', { name: 'Reset' }).click();
  assert.equal(await chapterTitle(page), CHAPTERS[0]);
  assert.match(await page.locator('.quiz-tally').textContent(), /Quiz 0\/33/);
  app.assertClean();
  await app.close();
});

test('classroom mode: projector type, high contrast, big flood counter, keys, reset everything', async () => {
  const app = await openLesson('?chapter=race&clients=1000&seed=7');
  const { page } = app;
  const toggle = page.getByRole('button', { name: 'Classroom mode' });
  const rootSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const normal = await rootSize();
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.ok(await rootSize() >= normal * 1.3, 'projector-sized type');
  assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-classroom')), true);
  // The big counter shows the flood's counters; run it to the end.
  const big = page.locator('.big-counter');
  await big.waitFor();
  await page.getByRole('region', { name: 'The flood' }).getByRole('button', { name: 'Show the result' }).click();
  await page.getByRole('region', { name: 'The flood' }).getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 60_000 });
  const numbers = await big.locator('.big-number').allTextContents();
  assert.equal(numbers[1], '1,000', 'INCR counts every like');
  assert.ok(Number(numbers[0].replace(/,/g, '')) < 1000, `naive loses likes: ${numbers[0]}`);
  assert.match(await big.locator('.big-of').first().textContent(), /^of 1,000 likes in 1 ms/);
  // Spread the arrivals over 10 s: the naive counter ends far higher, still short of 1,000.
  const flood = page.getByRole('region', { name: 'The flood' });
  await flood.getByRole('combobox', { name: 'Arrivals spread over' }).selectOption('10000');
  await flood.getByRole('button', { name: 'Show the result' }).click();
  await flood.getByRole('status').filter({ hasText: /spread over 10 s\.$/ }).waitFor({ timeout: 60_000 });
  const spread = await big.locator('.big-number').allTextContents();
  const naive = (text) => Number(text.replace(/,/g, ''));
  assert.equal(spread[1], '1,000');
  assert.ok(naive(spread[0]) > naive(numbers[0]) && naive(spread[0]) < 1000, `10 s: ${spread[0]}`);
  assert.match(await big.locator('.big-of').first().textContent(), /^of 1,000 likes in 10 s/);
  await assertAccessible(page, 'classroom mode, race');
  await screenshot(page, 'lesson-classroom-race');
  // The race keeps Space and the arrows; PageDown still moves the lesson.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  for (let i = 0; i < 60 && (await chapterTitle(page)) === CHAPTERS[2]; i += 1) await pageDown(page);
  assert.equal(await chapterTitle(page), CHAPTERS[3]);
  // Copy link: the address names the chapter and the run.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.locator('.notice').getByText(/^Link copied: /).waitFor();
  const copied = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  assert.equal(copied.searchParams.get('chapter'), 'likes');
  assert.equal(copied.searchParams.get('seed'), '7');
  // The setting survives a reload.
  await page.reload();
  await chapterHeading(page).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Classroom mode' }).getAttribute('aria-pressed'), 'true');
  await assertAccessible(page, 'classroom mode, likes');
  // Reset everything: back to chapter 1 with an empty keyspace, classroom mode kept.
  await page.getByRole('textbox', { name: 'Command', exact: true }).fill('SET leftover 1');
  await page.getByRole('textbox', { name: 'Command', exact: true }).press('Enter');
  await page.getByRole('button', { name: 'Reset everything…' }).click();
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('group', { name: 'Confirm reset everything' }).getByRole('button', { name: 'Reset' }).click(),
  ]);
  await chapterHeading(page).waitFor();
  // Leaving the page may cut short the icon's request: that is the reload, not a fault.
  app.problems.splice(0, Infinity, ...app.problems.filter((p) => !/favicon.*ERR_ABORTED/.test(p)));
  assert.equal(await chapterTitle(page), CHAPTERS[0]);
  assert.equal(new URL(page.url()).search, '?chapter=atomic');
  assert.equal(await page.locator('.key-count').textContent(), '(empty keyspace)');
  assert.equal(await page.getByRole('button', { name: 'Classroom mode' }).getAttribute('aria-pressed'), 'true');
  await screenshot(page, 'lesson-classroom');
  await page.getByRole('button', { name: 'Classroom mode' }).click();
  assert.equal(await rootSize(), normal);
  app.assertClean();
  await app.close();
});

test('links: a caveat in the text opens its box; a shared link works under a sub-path', async () => {
  const app = await openLesson('?chapter=core-commands');
  const { page } = app;
  await page.locator('.chapter').getByRole('link', { name: 'the flash sale' }).click();
  assert.equal(await chapterTitle(page), CHAPTERS[4]);
  await page.waitForFunction(() => document.activeElement?.id === 'below-zero');
  assert.equal(new URL(page.url()).hash, '#below-zero');
  app.assertClean();
  await app.close();

  const shared = await openLesson('?chapter=rate-limit#incr-expire', {}, site.sub.origin, SUBPATH);
  await shared.page.waitForFunction(() => document.activeElement?.id === 'incr-expire');
  assert.equal(await chapterTitle(shared.page), CHAPTERS[5]);
  const next = await shared.page.locator('.pager-next').getAttribute('href');
  assert.equal(next, '?chapter=leaderboard');
  await shared.page.locator('.pager-next').click();
  assert.equal(new URL(shared.page.url()).pathname, SUBPATH, 'the sub-path stays');
  shared.assertClean();
  await shared.close();
});

test('a 360 px phone shows every chapter without sideways scrolling, in both themes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const app = await openLesson('?chapter=atomic', { viewport: { width: 360, height: 740 }, colorScheme });
    const { page } = app;
    for (const [i, id] of IDS.entries()) {
      if (i > 0) await page.locator('.pager-next').click();
      assert.equal(await chapterTitle(page), CHAPTERS[i]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${id}: ${overflow}px wider than the screen`);
      if (id === 'core-commands') {
        await assertAccessible(page, `phone, ${colorScheme}`);
        await screenshot(page, `lesson-phone-${colorScheme}`);
      }
    }
    app.assertClean();
    await app.close();
  }
});

test('hot keys: one key against four sharded keys on three servers, seeded; a shared hash tag undoes it; phone-sized and axe-clean', async () => {
  const app = await openLesson('?chapter=likes');
  const { page } = app;
  const demo = page.locator('#hot-key');
  await demo.scrollIntoViewIfNeeded();
  assert.equal(await demo.locator('.lab-state').textContent(), 'Not run yet.');
  await demo.getByLabel('Clients').selectOption('10000');
  await demo.getByLabel('Servers (primaries)').selectOption('3');
  await demo.getByLabel('Counter keys').selectOption('4');
  await demo.getByLabel('Key names').selectOption('plain');
  await demo.getByLabel('Seed').selectOption('1');
  const run = async () => {
    await demo.getByRole('button', { name: 'Run both' }).click();
    await demo.locator('.lab-state', { hasText: 'Done: 10,000 clients, 3 servers, seed 1.' }).waitFor();
  };
  const figure = (side, label) =>
    demo.locator(`td[data-side="${side}"][data-figure="${label}"]`).textContent();
  await run();
  assert.equal(await demo.locator('th[data-side="one"]').textContent(), 'One key: post:99:likes');
  assert.equal(await demo.locator('th[data-side="sharded"]').textContent(), '4 keys: post:99:likes:0…3');
  for (const side of ['one', 'sharded']) {
    assert.equal(await figure(side, 'Likes counted'), '10,000 of 10,000', side);
  }
  // One key: every INCR on one server, 2 µs each, so the last like waits about 20 ms.
  assert.equal(await figure('one', 'INCRs per server'), '10,000 · 0 · 0');
  assert.equal(await figure('one', "Busiest server's share"), '100%');
  assert.equal(await figure('one', 'Its thread busy'), '20.0 ms');
  assert.equal(await figure('one', 'Last like answered'), '20.9 ms');
  assert.equal(await figure('one', 'Read requests'), '1 (GET)');
  assert.equal(await figure('one', 'One atomic number?'), 'yes');
  // Four keys: two of them share the third server, which takes half; the read is 4 requests.
  assert.equal(await figure('sharded', 'INCRs per server'), '2,537 · 2,512 · 4,951');
  assert.equal(await figure('sharded', "Busiest server's share"), '49%');
  assert.equal(await figure('sharded', 'Last like answered'), '10.9 ms');
  assert.equal(await figure('sharded', 'Values to read'), '4');
  assert.equal(await figure('sharded', 'Read requests'), '4, to 3 servers');
  assert.equal(await figure('sharded', 'One atomic number?'), 'no');
  // A read sent while likes still arrive: one GET is the total at one instant; four requests on
  // three servers run at three instants, and their sum was never the total.
  assert.equal(await figure('one', 'Read sent mid-flood'), '1,024');
  assert.equal(await figure('one', 'True total as it ran'), '1,024 (one instant)');
  assert.equal(await figure('one', 'Its answer took'), '2.6 ms');
  assert.equal(await figure('sharded', 'Read sent mid-flood'), '1,329');
  assert.equal(await figure('sharded', 'True total as it ran'), '1,299 to 1,361');
  assert.equal(await figure('sharded', 'Its answer took'), '1.6 ms');
  await demo.locator('.hot-key-placement summary').click();
  assert.deepEqual(await demo.locator('.hot-key-placement li').allTextContents(), [
    'post:99:likes:1: slot 3229 on server 1',
    'post:99:likes:0: slot 7356 on server 2',
    'post:99:likes:2: slot 15614 on server 3',
    'post:99:likes:3: slot 11487 on server 3',
  ]);
  // The same seed again: the same figures.
  await run();
  assert.equal(await figure('sharded', 'INCRs per server'), '2,537 · 2,512 · 4,951');
  // A hash tag shared by all the names: one slot, one server, one MGET.
  await demo.getByLabel('Key names').selectOption('tag');
  await run();
  assert.equal(await demo.locator('th[data-side="sharded"]').textContent(), '4 keys: {post:99}:likes:0…3');
  assert.equal(await figure('sharded', "Busiest server's share"), '100%');
  assert.equal(await figure('sharded', 'INCRs per server'), '0 · 0 · 10,000');
  assert.equal(await figure('sharded', 'Read requests'), '1 (MGET)');
  assert.equal(await figure('sharded', 'Likes counted'), '10,000 of 10,000');
  await assertAccessible(page, 'hot-key demo');
  await page.setViewportSize({ width: 360, height: 740 });
  await demo.scrollIntoViewIfNeeded();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `hot-key demo: ${overflow}px wider than a 360 px phone`);
  await screenshot(page, 'hot-key-phone');
  await assertAccessible(page, 'hot-key demo, phone');
  app.assertClean();
  await app.close();
});
