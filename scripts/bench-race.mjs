// Benchmark (not a test): frame times of the race demo's flood while it animates, in headless
// Chromium on the release build. Prints, for each client count, the p50/p95/max gap between
// requestAnimationFrame timestamps while the flood plays (goal: p95 ≤ 16.7 ms, 60 fps), and the
// same page idle as a baseline measured in the same run.
//
//   trunk build --release=true && node scripts/bench-race.mjs [clients …]
import path from 'node:path';
import { serveStatic } from '../tests/e2e/static-server.mjs';
import { repoRoot, launchBrowser, openPage } from '../tests/e2e/harness.mjs';

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const CLIENTS = counts.length ? counts : [10_000, 100_000];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

/** Records rAF timestamps for `seconds`; returns the gaps between them, in ms. */
function frameGaps(page, seconds) {
  return page.evaluate((ms) => new Promise((done) => {
    const stamps = [];
    const tick = (t) => {
      stamps.push(t);
      if (t - stamps[0] < ms) requestAnimationFrame(tick);
      else done(stamps.slice(1).map((s, i) => s - stamps[i]));
    };
    requestAnimationFrame(tick);
  }), seconds * 1000);
}

function summary(gaps) {
  const sorted = [...gaps].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `frames ${String(gaps.length).padStart(4)}  p50 ${at(0.5).toFixed(1).padStart(5)} ms  `
    + `p95 ${at(0.95).toFixed(1).padStart(5)} ms  max ${sorted[sorted.length - 1].toFixed(1).padStart(6)} ms`;
}

const server = await serveStatic([{ prefix: '/', dir: path.join(repoRoot, 'dist') }]);
const browser = await launchBrowser();
try {
  for (const clients of CLIENTS) {
    const session = await openPage(browser);
    const { page } = session;
    await page.goto(`${server.origin}/?clients=${clients}&seed=1`);
    const flood = page.getByRole('region', { name: 'The flood' });
    await flood.getByRole('row', { name: /^Counter \(likes\)/ }).waitFor();
    await flood.scrollIntoViewIfNeeded();
    const idle = await frameGaps(page, 1);
    await flood.getByRole('button', { name: 'Play', exact: true }).click();
    const playing = await frameGaps(page, SECONDS);
    const stillPlaying = await flood.getByRole('button', { name: 'Pause', exact: true }).count();
    console.log(`bench: flood ${String(clients).padStart(7)} clients animating: ${summary(playing)}`
      + `${stillPlaying ? '' : '  (the run ended during the measurement)'}`);
    console.log(`bench: flood ${String(clients).padStart(7)} clients idle page:  ${summary(idle)}`);
    if (session.problems.length) console.log('problems:', session.problems);
    await session.close();
  }
} finally {
  await browser.close();
  await server.close();
}
