// End-to-end tests of what the release build ships beside the app: precompressed files that decode to
// the very files they stand for, served with Content-Encoding to a browser that accepts them (as a
// host with brotli_static / gzip_static serves them), at the root and under a sub-path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { openPage, servedBuilds, DIST, DIST_SUBPATH, SUBPATH } from './harness.mjs';

const site = servedBuilds();
const COMPRESSIBLE = /\.(html|js|css|wasm|svg)$/;

async function builtFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

test('every compressible file of the build has brotli and gzip twins with the same content', async () => {
  for (const dir of [DIST, DIST_SUBPATH]) {
    const files = await builtFiles(dir);
    const originals = files.filter((f) => COMPRESSIBLE.test(f));
    assert.ok(originals.some((f) => f.endsWith('.wasm')), `a wasm in ${dir}`);
    for (const file of originals) {
      const body = await readFile(file);
      const br = await readFile(`${file}.br`);
      const gz = await readFile(`${file}.gz`);
      assert.ok(zlib.brotliDecompressSync(br).equals(body), `${file}.br decodes to ${file}`);
      assert.ok(zlib.gunzipSync(gz).equals(body), `${file}.gz decodes to ${file}`);
      assert.ok(br.length < body.length && gz.length < body.length, `${file}: smaller compressed`);
    }
    const wasm = originals.find((f) => f.endsWith('.wasm'));
    const [br, gz] = await Promise.all([readFile(`${wasm}.br`), readFile(`${wasm}.gz`)]);
    assert.ok(br.length < gz.length, `brotli beats gzip on the wasm (${br.length} vs ${gz.length})`);
  }
});

for (const [label, encoding] of [['brotli', 'br'], ['gzip only', 'gzip'], ['no compression', 'identity']]) {
  test(`the page loads and runs with ${label} (Accept-Encoding: ${encoding}), at / and under a sub-path`, async () => {
    for (const [origin, base] of [[site.root.origin, '/'], [site.sub.origin, SUBPATH]]) {
      const session = await openPage(site.browser, { extraHTTPHeaders: { 'accept-encoding': encoding } });
      const { page } = session;
      const encodings = new Map();
      page.on('response', (res) => {
        encodings.set(new URL(res.url()).pathname.split('/').pop() || 'index', res.headers()['content-encoding'] ?? 'identity');
      });
      await page.goto(`${origin}${base}`);
      const input = page.getByRole('textbox', { name: 'Command' });
      await input.fill('INCR likes');
      await input.press('Enter');
      await page.locator('.console-entry').first().getByText('(integer) 1').waitFor();
      const wasm = [...encodings].find(([name]) => name.endsWith('.wasm'));
      assert.ok(wasm, 'the wasm was fetched');
      assert.equal(wasm[1], encoding, `the wasm's Content-Encoding under ${base}`);
      assert.equal(encodings.get('index'), encoding, `the page's Content-Encoding under ${base}`);
      session.assertClean();
      await session.close();
    }
  });
}
