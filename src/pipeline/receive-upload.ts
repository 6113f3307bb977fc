import { digestOf, tokenizeMidiFile } from '../dataset/tokenize-file.js';
import type { PreprocessOutcome } from './contracts.js';
import { keys } from './keys.js';
import { preprocessUpload, type PreprocessDependencies, type UploadLabels } from './preprocess-upload.js';

/** The name already holds an accepted file with other bytes (HTTP 409: upload under another name). */
export class UploadNameTakenError extends Error {
  override readonly name = 'UploadNameTakenError';
  readonly code = 'name-taken';
}

/** The name's earlier upload is still being checked: its verdict is not in yet (HTTP 409: wait, then look again). */
export class UploadBeingCheckedError extends Error {
  override readonly name = 'UploadBeingCheckedError';
  readonly code = 'being-checked';
}

export interface ReceiveUploadDependencies extends PreprocessDependencies {
  /**
   * Upload keys this process is judging now, shared by all its requests. Stored bytes without a verdict are either
   * being tokenized or were interrupted; only this set tells the two apart.
   */
  beingChecked: Set<string>;
}

/**
 * An upload that arrives as bytes (the local server's `POST /api/uploads`): stored as `uploads/<name>` and
 * preprocessed, except that an accepted file is never replaced. While a name's upload is being checked, the name takes
 * no other upload ({@link UploadBeingCheckedError}). When the name holds an accepted file (its bytes are in the
 * dataset), the new bytes are judged in memory first: a bad file is reported rejected and nothing is stored (the
 * original, its dataset entry and its place in the file list stay); a good file with other bytes throws
 * {@link UploadNameTakenError}; the same bytes again are a harmless re-run. A name whose earlier file was rejected,
 * or whose check was interrupted, is simply overwritten and judged afresh.
 *
 * @example
 * const beingChecked = new Set<string>(); // one per server
 * const outcome = await receiveUpload('song.mid', bytes, { store, queue, tokenizer, maxBytes: 5 << 20, beingChecked });
 */
export async function receiveUpload(name: string, bytes: Uint8Array, dependencies: ReceiveUploadDependencies, upload: UploadLabels = {}): Promise<PreprocessOutcome> {
  const key = keys.uploadsPrefix + name;
  const { beingChecked } = dependencies;
  // Claimed before the first await: of two requests for one name, only one can pass.
  if (beingChecked.has(key)) {
    throw new UploadBeingCheckedError(`${name} is still being checked: wait until the file list gives its verdict, then upload again if need be`);
  }
  beingChecked.add(key);
  try {
    return await judge(name, key, bytes, dependencies, upload);
  } finally {
    beingChecked.delete(key);
  }
}

async function judge(name: string, key: string, bytes: Uint8Array, dependencies: ReceiveUploadDependencies, upload: UploadLabels): Promise<PreprocessOutcome> {
  const { store, tokenizer } = dependencies;
  const existing = await store.get(key);
  const existingDigest = existing && digestOf(existing);
  const existingAccepted = existingDigest !== undefined && (await store.head(keys.datasetMeta(tokenizer.name, existingDigest))) !== undefined;
  if (existingAccepted && existingDigest !== digestOf(bytes)) {
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
