import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');
const require = createRequire(import.meta.url);

/** Browser libraries served from node_modules, so the page needs no CDN. */
const vendorFiles: Record<string, string> = {
  '/vendor/tone.js': 'tone/build/Tone.js',
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** The file a GET path names in `web/` (or a vendored library), or undefined when it names none. */
function fileFor(path: string): string | undefined {
  const vendor = vendorFiles[path];
  if (vendor) return require.resolve(vendor);
  const relative = path === '/' ? 'index.html' : path.slice(1);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(relative) || !(extname(relative) in contentTypes)) return undefined;
  return join(webDir, relative);
}

/**
 * Answers a GET for the playground page, its assets and the vendored libraries; resolves false when `path` is none of
 * them. Only flat, known-extension names under `web/` are served, so no path can escape the folder.
 */
export async function serveStatic(path: string, response: ServerResponse): Promise<boolean> {
  const file = fileFor(path);
  if (!file) return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  response.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-cache',
  });
  response.end(body);
  return true;
}
