// Benchmark (not a test): how long the page takes to load as a learner on a phone feels it. Headless
// Chromium, throttled like Lighthouse's mobile profile through the DevTools protocol (1.6 Mbit/s down,
// 750 kbit/s up, 150 ms round trip, CPU 4× slower), a phone-sized viewport, a cold cache on every run,
// the build served compressed as a static host serves it (tests/e2e/static-server.mjs: FILE.br or
// FILE.gz). Prints, over the runs (median, and the range):
//   - first lesson text: when the chapter's first block of text is painted (Element Timing);
//   - console-lite's wasm downloaded: when the last byte of the small console's wasm arrived
//     (src/bin/console-lite.rs, which answers while the app's wasm is on its way);
//   - app's wasm downloaded: when the last byte of the app's wasm arrived;
//   - console ready: when a console's input exists (the lite's, or the app's);
//   - Enter pressed: when `INCR likes`, typed as soon as the input exists, was sent (the gap from
//     "console ready" is the typing, slowed by the throttled CPU);
//   - console answers: when its reply is on the page;
//   - app mounted: when the app replaced the static page (and took the lite's console over);
// and the bytes that went over the wire, and the build's size gzip'd and brotli'd.
//
//   node scripts/bench-load.mjs [DIST]        (scripts/bench-load.sh builds first)
//   BENCH_RUNS=9 BENCH_ENCODING=gzip …        more runs; only offer gzip
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import { serveStatic } from '../tests/e2e/static-server.mjs';
import { repoRoot, launchBrowser } from '../tests/e2e/harness.mjs';

const DIST = path.resolve(process.argv[2] ?? path.join(repoRoot, 'dist'));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ENCODING = process.env.BENCH_ENCODING; // e.g. "gzip": the Accept-Encoding sent
const GOALS = { text: 1000, answered: 3000 };
/** Lighthouse's mobile throttling (its "simulated" profile's figures, applied by DevTools). */
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;
/** The chapter's first block of text, as the app renders it (and as the static lesson has it). */
const LESSON_TEXT = '.chapter .chapter-text > *';

/** Runs in the page before any of its scripts: notes when lesson text paints and the console answers. */
function instrument(selector) {
  const seen = { text: null, textInDom: null, ready: null, enter: null, answered: null, app: null };
  window.__load = seen;
  addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && seen.enter === null) seen.enter = e.timeStamp;
  }, { capture: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier === 'lesson-text' && seen.text === null) {
        seen.text = entry.renderTime || entry.loadTime;
      }
    }
  }).observe({ type: 'element', buffered: true });
  new MutationObserver(() => {
    const now = performance.now();
    const text = document.querySelector(selector);
    if (text && seen.textInDom === null) {
      // Element Timing reports elements marked before they first paint.
      text.setAttribute('elementtiming', 'lesson-text');
      seen.textInDom = now;
    }
    if (seen.ready === null && document.getElementById('console-input')) seen.ready = now;
    if (seen.app === null && seen.textInDom !== null && !document.getElementById('static-page')) seen.app = now;
    if (seen.answered === null && seen.ready !== null
      && document.querySelector('.console-log')?.textContent.includes('(integer) 1')) {
      seen.answered = now;
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

async function oneRun(browser, origin) {
  const context = await browser.newContext({
    viewport: { width: 412, height: 823 },
    deviceScaleFactor: 1.75,
    isMobile: true,
    hasTouch: true,
    ...(ENCODING && { extraHTTPHeaders: { 'accept-encoding': ENCODING } }),
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const responses = new Map();
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    const encoding = Object.entries(response.headers)
      .find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? 'identity';
    responses.set(requestId, { url: response.url, encoding, bytes: 0 });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const r = responses.get(requestId);
    if (r) r.bytes = encodedDataLength;
  });
  await page.addInitScript(instrument, LESSON_TEXT);
  await page.goto(origin, { waitUntil: 'commit' });
  // Typed as a quick learner types: keys sent to the focused input, without Playwright's
  // actionability checks (which wait for animation frames, slow on a throttled CPU).
  await page.locator('#console-input').waitFor({ state: 'attached', timeout: 120_000 });
  await page.evaluate(() => document.getElementById('console-input').focus());
  await page.keyboard.insertText('INCR likes');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__load.answered !== null, null, { timeout: 60_000 });
  await page.waitForFunction(() => window.__load.app !== null, null, { timeout: 60_000 });
  // Element Timing entries arrive after the paint they describe.
  await page.waitForFunction(() => window.__load.text !== null, null, { timeout: 10_000 }).catch(() => {});
  const seen = await page.evaluate(() => ({
    ...window.__load,
    // When the last byte of each wasm arrived: the rest of "console ready" is the CPU's.
    lite: performance.getEntriesByType('resource')
      .find((e) => /console-lite-[^/]*\.wasm$/.test(e.name))?.responseEnd ?? null,
    wasm: performance.getEntriesByType('resource')
      .find((e) => e.name.endsWith('.wasm') && !/console-lite-[^/]*$/.test(e.name))?.responseEnd ?? null,
  }));
  await context.close();
  return { ...seen, responses: [...responses.values()] };
}

function stats(values) {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (!sorted.length) return null;
  return { median: sorted[Math.floor((sorted.length - 1) / 2)], min: sorted[0], max: sorted.at(-1) };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Every file of the build but the precompressed variants, with its size raw, gzip -9 and brotli. */
async function buildSizes(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const sizes = { raw: 0, gzip: 0, br: 0, files: 0 };
  for (const e of entries) {
    if (!e.isFile() || /\.(br|gz)$/.test(e.name)) continue;
    const body = await readFile(path.join(e.parentPath ?? e.path, e.name));
    sizes.files += 1;
    sizes.raw += body.length;
    sizes.gzip += Math.min(body.length, zlib.gzipSync(body, { level: 9 }).length);
    sizes.br += Math.min(body.length, zlib.brotliCompressSync(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length);
  }
  return sizes;
}

const server = await serveStatic([{ prefix: '/', dir: DIST }]);
const browser = await launchBrowser();
const runs = [];
try {
  for (let i = 0; i < RUNS; i += 1) runs.push(await oneRun(browser, `${server.origin}/`));
} finally {
  await browser.close();
  await server.close();
}

const line = (label, key, goal) => {
  const s = stats(runs.map((r) => r[key]));
  if (!s) return console.log(`  ${label.padEnd(22)} not seen`);
  const verdict = goal ? `  goal ≤ ${goal} ms: ${s.median <= goal ? 'met' : `missed by ${Math.round(s.median - goal)} ms`}` : '';
  console.log(`  ${label.padEnd(22)} ${String(Math.round(s.median)).padStart(5)} ms  `
    + `[${Math.round(s.min)}–${Math.round(s.max)}]${verdict}`);
};
console.log(`load: ${DIST}`);
console.log(`  ${RUNS} cold loads at 1.6 Mbit/s, ${NETWORK.latency} ms RTT, CPU ${CPU_SLOWDOWN}× slower, `
  + '412×823 phone viewport; median [min–max] from navigation start');
line('first lesson text', 'text', GOALS.text);
line('lesson text in DOM', 'textInDom');
line('lite wasm downloaded', 'lite');
line('app wasm downloaded', 'wasm');
line('console ready', 'ready');
line('Enter pressed', 'enter');
line('console answers INCR', 'answered', GOALS.answered);
line('app mounted', 'app');
const first = runs[0].responses;
const wire = first.reduce((sum, r) => sum + r.bytes, 0);
const encodings = [...new Set(first.filter((r) => r.bytes > 1024).map((r) => r.encoding))].join(', ');
console.log(`  over the wire: ${kb(wire)} in ${first.length} requests (content-encoding: ${encodings})`);
for (const r of first) {
  console.log(`    ${kb(r.bytes).padStart(9)}  ${r.encoding.padEnd(8)} ${new URL(r.url).pathname}`);
}
const sizes = await buildSizes(DIST);
console.log(`  build: ${sizes.files} files, ${kb(sizes.raw)} raw, ${kb(sizes.gzip)} gzip -9, ${kb(sizes.br)} brotli 11`);
