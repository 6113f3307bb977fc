import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findRepositoryRoot } from './repository-root.js';
import { workerEntries, type WorkerEntry } from './worker-entries.js';
import { WorkerBundleError } from './worker-errors.js';

/** Where bundles live (gitignored); `npm run build` fills it, first use refreshes it. */
export const bundleFolder = 'dist/workers';

// The first line of a bundle lists its sources with their digests, so one read tells whether it is still current.
const inputsHeader = '// rubato worker bundle; inputs: ';

const building = new Map<string, Promise<URL>>();

/**
 * A worker entry as one plain JavaScript file (our sources bundled, packages left to node_modules): workers start in
 * milliseconds instead of compiling TypeScript through tsx for a second or two. Built on first use and whenever a
 * source it was made from changed.
 *
 * @example
 * new Worker(await workerBundleUrl('tokenize'), { workerData });
 */
export function workerBundleUrl(entry: WorkerEntry, root: string = findRepositoryRoot()): Promise<URL> {
  const file = join(root, bundleFolder, `${entry}.mjs`);
  const inFlight = building.get(file);
  if (inFlight) return inFlight;
  if (isCurrent(root, file)) return Promise.resolve(pathToFileURL(file));
  const built = buildBundle(root, entry, file).finally(() => building.delete(file));
  building.set(file, built);
  return built;
}

/** Builds every worker entry that is missing or stale; returns the files. */
export async function buildWorkerBundles(root: string = findRepositoryRoot()): Promise<string[]> {
  const urls = await Promise.all((Object.keys(workerEntries) as WorkerEntry[]).map((entry) => workerBundleUrl(entry, root)));
  return urls.map((url) => url.pathname);
}

function isCurrent(root: string, file: string): boolean {
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  const firstLine = text.slice(0, text.indexOf('\n'));
  if (!firstLine.startsWith(inputsHeader)) return false;
  const inputs = JSON.parse(firstLine.slice(inputsHeader.length)) as Record<string, string>;
  return Object.entries(inputs).every(([path, digest]) => digestOf(join(root, path)) === digest);
}

async function buildBundle(root: string, entry: WorkerEntry, file: string): Promise<URL> {
  const esbuild = await import('esbuild').catch((error: unknown) => {
    throw new WorkerBundleError(`${file} is missing or stale and esbuild does not load (${String(error)}); run npm run build`);
  });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [workerEntries[entry]],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((path) => [path, digestOf(join(root, path))]));
  const text = `${inputsHeader}${JSON.stringify(inputs)}\n${result.outputFiles[0]!.text}`;
  try {
    mkdirSync(join(root, bundleFolder), { recursive: true });
    // Several processes (test files, workers) may build at once: each writes its own file, the rename is atomic.
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    throw new WorkerBundleError(`cannot write the worker bundle ${file} (${String(error)}); run npm run build where it is writable`);
  }
  return pathToFileURL(file);
}

function digestOf(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
}
