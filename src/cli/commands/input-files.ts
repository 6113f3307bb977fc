import { access, constants, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { generateLimits } from '../../pipeline/generate-params.js';
import { InputFileError, readInputFile } from '../read-input-file.js';
import { usageError } from './usage-error.js';

/**
 * `--primer FILE`'s bytes, refused from its size before reading (the generate API's primer cap); a missing, oversized
 * or unreadable file is a usage error (exit 2) naming the file. Whether the bytes are MIDI is the primer parser's call.
 */
export async function readPrimerFile(path: string): Promise<Uint8Array> {
  try {
    return await readInputFile(path, generateLimits.primerBytes);
  } catch (error) {
    if (error instanceof InputFileError) return usageError('generate', `--primer ${error.message}`);
    throw error;
  }
}

/**
 * Fails fast, before minutes of work, when `path` cannot be written: its folder is missing or read-only, or it names a
 * folder. A usage error (exit 2) naming the option.
 */
export async function checkWritable(command: string, option: string, path: string): Promise<void> {
  const folder = dirname(resolve(path));
  const folderInfo = await stat(folder).catch(() => undefined);
  if (!folderInfo?.isDirectory()) return usageError(command, `${option} ${path}: the folder ${folder} does not exist; create it or pick another path`);
  if ((await stat(path).catch(() => undefined))?.isDirectory()) return usageError(command, `${option} ${path}: is a folder; give a file name`);
  await access(folder, constants.W_OK).catch(() => usageError(command, `${option} ${path}: the folder ${folder} is not writable; pick another path`));
}

/** Writes `bytes` to `path`, given as `option`; a failure (the disk filled, the folder went away) is a usage error naming both. */
export async function writeOutputFile(command: string, option: string, path: string, bytes: Uint8Array): Promise<void> {
  await writeFile(path, bytes).catch((error: NodeJS.ErrnoException) => usageError(command, `${option} ${path}: cannot write it (${error.code ?? error.message})`));
}
