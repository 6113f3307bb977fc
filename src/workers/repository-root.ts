import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root: the nearest folder above `from` whose package.json is rubato's. Found by walking up rather
 * than by a fixed `..`, because this module runs from `src/workers/` and from bundles under `dist/workers/` alike.
 */
export function findRepositoryRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let folder = dirname(from); ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'rubato') return folder;
    if (dirname(folder) === folder) throw new Error(`no rubato package.json above ${from}`);
  }
}
