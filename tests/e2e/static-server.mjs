// A tiny static file server for the e2e tests and the load benchmark: serves built `dist/` folders on
// 127.0.0.1 under URL prefixes, with the MIME types browsers insist on (application/wasm for
// streaming compilation). Like a static host that serves precompressed files (nginx's brotli_static
// and gzip_static), it answers with FILE.br or FILE.gz when the build has one and the browser
// accepts it (Content-Encoding, Vary: Accept-Encoding), else with the file as it is.
// Anything outside a mount, or missing, is a 404, so a wrong asset URL shows up as a failed request.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts a server on 127.0.0.1 on a free port.
 * @param {{prefix: string, dir: string}[]} mounts URL prefixes (ending in '/') and the folders they serve.
 * @returns {Promise<{origin: string, close: () => Promise<void>}>}
 */
export async function serveStatic(mounts) {
  const server = http.createServer(async (req, res) => {
    try {
      const file = await resolve(mounts, req.url ?? '/');
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const encoding = await precompressed(file, req.headers['accept-encoding'] ?? '');
      const body = await readFile(encoding ? `${file}.${encoding.ext}` : file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        vary: 'accept-encoding',
        ...(encoding && { 'content-encoding': encoding.name }),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => {
      server.closeAllConnections?.();
      server.close(() => ok());
    }),
  };
}

/** The encodings a build may hold precompressed, best first. */
const ENCODINGS = [{ name: 'br', ext: 'br' }, { name: 'gzip', ext: 'gz' }];

/** The best precompressed variant of `file` that the `Accept-Encoding` header allows, if any. */
async function precompressed(file, acceptEncoding) {
  const accepted = new Set(acceptEncoding.split(',').map((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    return params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p)) ? '' : name.trim();
  }));
  for (const encoding of ENCODINGS) {
    if (!accepted.has(encoding.name)) continue;
    const info = await stat(`${file}.${encoding.ext}`).catch(() => null);
    if (info?.isFile()) return encoding;
  }
  return null;
}

async function resolve(mounts, rawUrl) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://x').pathname);
  } catch {
    return null;
  }
  for (const { prefix, dir } of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const root = path.resolve(dir);
    let file = path.resolve(root, '.' + path.posix.sep + pathname.slice(prefix.length));
    if (file !== root && !file.startsWith(root + path.sep)) return null; // no climbing out
    const info = await stat(file).catch(() => null);
    if (info?.isDirectory()) file = path.join(file, 'index.html');
    const found = await stat(file).catch(() => null);
    return found?.isFile() ? file : null;
  }
  return null;
}
