import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export const MIDI_EXTENSIONS = ['.mid', '.midi', '.rmi'];

/** An input path that does not exist: a usage error, not a bad file. */
export class MissingInputError extends Error {
  override readonly name = 'MissingInputError';
}

export interface CollectedInputs {
  /** Every file to process, in a stable order: named files as given, folders walked in name order. */
  files: string[];
  /** `*manifest*.csv` files found in or beside the input folders. */
  manifests: string[];
}

/**
 * Expands the command line's files and folders: folders are walked recursively for .mid/.midi/.rmi; a file named
 * explicitly is always processed, whatever its name. Throws {@link MissingInputError} for a path that does not exist.
 */
export async function collectInputs(paths: readonly string[]): Promise<CollectedInputs> {
  const files: string[] = [];
  const manifests = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new MissingInputError(`${path}: no such file or folder`);
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    for (const folder of [path, dirname(path)]) for (const manifest of await manifestsIn(folder)) manifests.add(manifest);
    await walk(path, files);
  }
  return { files, manifests: [...manifests] };
}

async function walk(folder: string, into: string[]): Promise<void> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await walk(path, into);
    else if (MIDI_EXTENSIONS.includes(extname(entry.name).toLowerCase())) into.push(path);
  }
}

async function manifestsIn(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => /manifest.*\.csv$/i.test(basename(name))).sort().map((name) => join(folder, name));
}
