import { digestOf, tokenizeMidiFile } from '../dataset/tokenize-file.js';
import type { PreprocessOutcome } from './contracts.js';
import { keys } from './keys.js';
import { preprocessUpload, type PreprocessDependencies, type UploadLabels } from './preprocess-upload.js';

/** The name already holds an accepted file with other bytes (HTTP 409: upload under another name). */
export class UploadNameTakenError extends Error {
  override readonly name = 'UploadNameTakenError';
  readonly code = 'name-taken';
}

/**
 * An upload that arrives as bytes (the local server's `POST /api/uploads`): stored as `uploads/<name>` and
 * preprocessed, except that an accepted file is never replaced. When the name holds an accepted file, the new bytes
 * are judged in memory first: a bad file is reported rejected and nothing is stored (the original, its dataset entry
 * and its place in the file list stay); a good file with other bytes throws {@link UploadNameTakenError}; the same
 * bytes again are a harmless re-run. A name whose earlier file was rejected is simply overwritten and judged afresh.
 *
 * @example
 * const outcome = await receiveUpload('song.mid', bytes, { store, queue, tokenizer, maxBytes: 5 << 20 });
 */
export async function receiveUpload(name: string, bytes: Uint8Array, dependencies: PreprocessDependencies, upload: UploadLabels = {}): Promise<PreprocessOutcome> {
  const { store, tokenizer } = dependencies;
  const key = keys.uploadsPrefix + name;
  const existing = await store.get(key);
  const existingAccepted = existing !== undefined && !(await store.head(keys.rejected(key)));
  if (existingAccepted && digestOf(existing) !== digestOf(bytes)) {
    if (bytes.length > dependencies.maxBytes) {
      return { status: 'rejected', key, code: 'too-large', message: `this ${name} is ${bytes.length} bytes, over the ${dependencies.maxBytes}-byte limit; the accepted ${name} is kept` };
    }
    const judged = dependencies.tokenize ? await dependencies.tokenize(bytes, key) : tokenizeMidiFile(bytes, key, tokenizer);
    if (!judged.ok) return { status: 'rejected', key, code: judged.code, message: `${judged.message}; the accepted ${name} is kept` };
    throw new UploadNameTakenError(`${name} already holds an accepted file with other music: upload this one under another name`);
  }
  if (!existingAccepted) await store.put(key, bytes, { contentType: 'audio/midi' });
  return preprocessUpload(key, dependencies, upload);
}
