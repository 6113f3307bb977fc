import { open, stat } from 'node:fs/promises';
import type { InputRead } from '../pipeline/preprocess-batch.js';

/** Why an input file could not be read; `message` names the file and what to do. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly code: 'missing' | 'not-a-file' | 'too-large' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A file's bytes, refusing one larger than `maxBytes` from its size alone, before reading any of it (a sparse 1.2 GB
 * "MIDI" file once took 2.6 GB of memory before being refused). Reads at most the size it checked, plus one byte to
 * notice a file that grew meanwhile.
 *
 * @example
 * const bytes = await readInputFile('primer.mid', defaultMidiLimits.maxBytes);
 */
export async function readInputFile(path: string, maxBytes: number): Promise<Uint8Array> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new InputFileError('missing', `${path}: no such file`);
    throw new InputFileError('unreadable', `${path}: cannot read it (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw new InputFileError('not-a-file', `${path}: not a file`);
  if (info.size > maxBytes) throw new InputFileError('too-large', `${path}: ${info.size} bytes, over the ${maxBytes}-byte limit`);
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new InputFileError('unreadable', `${path}: cannot read it (${error.code ?? error.message})`);
  });
  try {
    // One byte more than the size stat gave: a file that grew since is noticed, never read beyond the limit.
    const buffer = new Uint8Array(info.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      length += bytesRead;
      if (bytesRead === 0 || length === buffer.length) break;
    }
    if (length > info.size) throw new InputFileError('unreadable', `${path}: it changed while being read; try again`);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** {@link readInputFile} as the batch preprocess use case reads its inputs: a refusal is an outcome, not a throw. */
export function localInputReader(maxBytes: number): (path: string) => Promise<InputRead> {
  return async (path) => {
    try {
      return { ok: true, bytes: await readInputFile(path, maxBytes) };
    } catch (error) {
      if (!(error instanceof InputFileError)) throw error;
      return { ok: false, code: error.code === 'too-large' ? 'too-large' : 'unreadable', message: error.message };
    }
  };
}
