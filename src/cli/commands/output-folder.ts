import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { usageError } from './usage-error.js';

/** Why a path cannot take a command's output; the message says what is wrong with it and what to do. */
export class OutputFolderError extends Error {
  override readonly name = 'OutputFolderError';
  constructor(
    readonly code: 'not-a-folder' | 'not-writable',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Resolves when `path` is a folder the process can create folders in, or does not exist yet and can be created under
 * its nearest existing ancestor; throws {@link OutputFolderError} otherwise. It proves this by creating (and removing) a
 * folder there: `access(W_OK)` says yes to root on procfs and sysfs, where Node's recursive `mkdir` then loops at
 * 100 % CPU forever instead of failing (`--out /proc/x`).
 *
 * @example
 * await checkOutputFolder('./tokenized'); // throws OutputFolderError for '/proc/x' or an existing file
 */
export async function checkOutputFolder(path: string): Promise<void> {
  const { folder, info } = await nearestExisting(resolve(path));
  if (!info.isDirectory()) {
    const what = folder === resolve(path) ? 'it is a file, not a folder; give a folder' : `${folder} is a file, not a folder; pick another path`;
    throw new OutputFolderError('not-a-folder', what);
  }
  const probe = await mkdtemp(join(folder, '.rubato-probe-')).catch((error: NodeJS.ErrnoException) => {
    throw new OutputFolderError('not-writable', `cannot create folders in ${folder} (${error.code ?? error.message}); pick a folder on a writable disk`);
  });
  await rmdir(probe);
}

/**
 * {@link checkOutputFolder} for a command's option, before any work: a refusal is a usage error (exit 2) naming the
 * option and the path.
 *
 * @example
 * await requireOutputFolder('preprocess', '--out', options.out);
 */
export async function requireOutputFolder(command: string, option: string, path: string): Promise<void> {
  await checkOutputFolder(path).catch((error: unknown) => {
    if (error instanceof OutputFolderError) usageError(command, `${option} ${path}: ${error.message}`);
    throw error;
  });
}

/** The path itself or its closest ancestor that exists, with what it is. */
async function nearestExisting(path: string): Promise<{ folder: string; info: Stats }> {
  for (let candidate = path; ; candidate = dirname(candidate)) {
    try {
      return { folder: candidate, info: await stat(candidate) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file stands somewhere above; climbing reaches it and reports it.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new OutputFolderError('not-writable', `cannot look at ${candidate} (${code ?? String(error)}); pick another path`);
      }
    }
  }
}
