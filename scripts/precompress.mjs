// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip -9) beside every compressible file of a
// build, for static hosts that serve precompressed files (nginx's gzip_static and brotli_static,
// Caddy's `file_server { precompressed br gzip }`, …): the best compression, paid once at build time
// instead of on every request. Brotli and gzip are Node's own (zlib), so nothing is installed.
//
//   node scripts/precompress.mjs DIR     by hand, on a built folder
//
// Trunk runs it after every build (Trunk.toml's post_build hook) on its staging folder, and it
// compresses release builds only: `trunk serve`'s debug builds stay quick.
import { readdir, readFile, writeFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

/** What a browser is served compressed; images such as PNG are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json', '.txt', '.xml']);

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('usage: node scripts/precompress.mjs DIR (or run as a Trunk hook)');
  process.exit(2);
}
if (process.env.TRUNK_PROFILE && process.env.TRUNK_PROFILE !== 'release') process.exit(0);

for (const file of await files(dir)) {
  if (!COMPRESSIBLE.has(path.extname(file))) continue;
  const body = await readFile(file);
  const variants = {
    '.br': zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        [zlib.constants.BROTLI_PARAM_MODE]: path.extname(file) === '.wasm'
          ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
      },
    }),
    '.gz': zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }),
  };
  for (const [ext, compressed] of Object.entries(variants)) {
    // A variant no smaller than the file is useless to a host: none is written (and a stale one goes).
    if (compressed.length < body.length) await writeFile(file + ext, compressed);
    else await unlink(file + ext).catch(() => {});
  }
}

/** Every file under `root`, recursively. */
async function files(root) {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}
