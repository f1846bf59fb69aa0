// End-to-end test of the live classroom (issue 15): `redis-sim classroom` serves the release build,
// a projector page and 30 students (each its own browser context, as 30 phones) join, tap Like, and
// the projector's figures must add up — taps = counter + lost updates — with the naive strategy
// (GET then SET) and then exactly, with nothing lost, with INCR. Run once on the engine and once
// with --redis on a real redis-server. Fails on any console error or failed request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { openPage, assertAccessible, screenshot, launchBrowser, repoRoot, DIST } from './harness.mjs';

const STUDENTS = 30;
const TAPS = 6;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The redis-sim binary (built by `cargo test` before the e2e step; built here if missing). */
function redisSim() {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, 'target');
  const binary = path.join(target, 'debug', 'redis-sim');
  if (!existsSync(binary)) execFileSync('cargo', ['build', '--locked', '--bin', 'redis-sim'], { cwd: repoRoot, stdio: 'inherit' });
  return binary;
}

/** A free loopback port. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
    server.on('error', reject);
  });
}

/** Starts a child and resolves with it once its output matches `ready` (the match too). */
function startChild(command, args, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${command} never got ready:\n${out}`)), 60_000);
    const look = (chunk) => {
      out += chunk;
      const m = ready.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, match: m }); }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`${command} exited (${code}):\n${out}`)));
  });
}

/** `redis-sim classroom` on loopback; its join and projector addresses. */
async function startClassroom(extra = []) {
  const port = await freePort();
  const { child, match } = await startChild(
    redisSim(),
    ['classroom', '--bind', '127.0.0.1', '--port', String(port), '--dist', DIST, ...extra],
    /students open\s+(\S+)\s+projector\s+(\S+)/,
  );
  return { child, join: match[1], teacher: match[2] };
}

/** The projector's figure called `name`, as a number. */
async function figure(projector, name) {
  const text = await projector.getByRole('region', { name: 'The room now' })
    .locator('div').filter({ has: projector.getByText(name, { exact: true }) }).locator('dd').textContent();
  return Number(text);
}

/** Waits until the projector's figures satisfy `check`. */
async function figuresUntil(projector, check, what) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const names = ['Students', 'Taps', 'Counter', 'Lost updates'];
    const values = await Promise.all(names.map((n) => figure(projector, n)));
    const f = Object.fromEntries(names.map((n, i) => [n, values[i]]));
    if (check(f)) return f;
    assert.ok(Date.now() < deadline, `${what}: the projector shows ${JSON.stringify(f)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every student taps Like `TAPS` times as fast as they can, all at once; waits for every answer. */
async function everybodyTaps(students, alreadyTapped) {
  await Promise.all(students.map(async ({ page }) => {
    const like = page.getByRole('button', { name: 'Like', exact: true });
    for (let i = 0; i < TAPS; i++) await like.click();
    await page.getByTestId('my-taps').filter({ hasText: new RegExp(`^${alreadyTapped + TAPS}$`) })
      .waitFor({ timeout: 90_000 });
  }));
}

async function classroomRun(label, extra) {
  const room = await startClassroom(extra);
  const sessions = [];
  try {
    const teacher = await openPage(browser);
    sessions.push(teacher);
    const projector = teacher.page;
    await projector.goto(room.teacher);
    const code = new URL(room.join).searchParams.get('room');
    await projector.getByRole('heading', { name: `Join room ${code}` }).waitFor();
    await projector.getByRole('img', { name: 'QR code of the join address' }).locator('svg').waitFor();
    await projector.getByText(room.join, { exact: true }).waitFor();
    await projector.getByRole('button', { name: 'Reset the room' }).click();

    const students = [];
    for (let i = 0; i < STUDENTS; i++) {
      const s = await openPage(browser, { viewport: { width: 390, height: 844 } });
      sessions.push(s);
      students.push(s);
      await s.page.goto(room.join);
    }
    await Promise.all(students.map((s) => s.page.getByRole('status').filter({ hasText: /^Connected to / }).waitFor()));
    await figuresUntil(projector, (f) => f.Students === STUDENTS, 'everybody joined');

    // Naive: GET, then SET after the round trip to the phone. Whatever was lost, it adds up.
    await projector.getByRole('button', { name: 'Countdown: everybody tap now' }).click();
    await students[0].page.getByText('Tap now!').waitFor({ timeout: 10_000 });
    await everybodyTaps(students, 0);
    const naive = await figuresUntil(projector, (f) => f.Taps === STUDENTS * TAPS, 'naive taps counted');
    assert.equal(naive.Counter + naive['Lost updates'], STUDENTS * TAPS, JSON.stringify(naive));
    assert.ok(naive.Counter >= 1 && naive.Counter <= STUDENTS * TAPS, JSON.stringify(naive));
    // A student's console reads the same counter.
    const console0 = students[0].page;
    await console0.getByRole('textbox', { name: 'Command' }).fill('GET likes');
    await console0.getByRole('button', { name: 'Run' }).click();
    await console0.getByRole('log', { name: 'Console output' }).getByText(`"${naive.Counter}"`, { exact: true }).waitFor();
    await console0.getByRole('textbox', { name: 'Command' }).fill('FLUSHALL');
    await console0.getByRole('button', { name: 'Run' }).click();
    await console0.getByRole('log', { name: 'Console output' }).getByText(/is not allowed in the classroom/).waitFor();
    await screenshot(projector, `classroom-${label}-naive-projector`);
    await screenshot(console0, `classroom-${label}-student`);

    // INCR: reset, tap again, nothing lost.
    await projector.getByRole('radio', { name: /INCR/ }).check();
    await projector.getByRole('button', { name: 'Reset the room' }).click();
    await figuresUntil(projector, (f) => f.Taps === 0 && f.Counter === 0, 'reset');
    await Promise.all(students.map((s) => s.page.getByText(/Like runs INCR/).waitFor({ timeout: 10_000 })));
    await everybodyTaps(students, TAPS);
    const atomic = await figuresUntil(projector, (f) => f.Taps === STUDENTS * TAPS, 'INCR taps counted');
    assert.deepEqual([atomic.Counter, atomic['Lost updates']], [STUDENTS * TAPS, 0]);

    await assertAccessible(projector, `classroom projector (${label})`);
    await assertAccessible(console0, `classroom student (${label})`);
    for (const s of sessions) s.assertClean();
  } finally {
    for (const s of sessions) await s.close();
    room.child.kill('SIGTERM');
  }
}

test(`${STUDENTS} students and the projector on the engine`, { timeout: 600_000 }, async () => {
  await classroomRun('engine', []);
});

test(`${STUDENTS} students and the projector on a real redis-server (--redis)`, { timeout: 600_000 }, async () => {
  const port = await freePort();
  const { child } = await startChild(
    process.env.REDIS_SERVER ?? 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    /Ready to accept connections/,
  );
  try {
    await classroomRun('redis', ['--redis', `127.0.0.1:${port}`]);
  } finally {
    child.kill('SIGTERM');
  }
});
