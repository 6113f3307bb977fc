import { digestOf, tokenizeMidiFile } from '../dataset/tokenize-file.js';
import type { VersionedObject } from '../store/store.js';
import type { PreprocessOutcome } from './contracts.js';
import { keys } from './keys.js';
import { admitUpload, type PreprocessDependencies, type UploadLabels } from './preprocess-upload.js';

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
 * or whose check was interrupted (no verdict, and no longer being checked by any process), is simply overwritten and
 * judged afresh.
 *
 * One upload per name wins in the store itself, not only in this process: a new name is taken with a conditional
 * put (`ifAbsent`), a rejected or interrupted file is replaced by compare-and-swap on the bytes read, and the loser of
 * either race is told the name is being checked, its bytes discarded. The verdict is of the request's own bytes
 * ({@link admitUpload}), never of whatever the name holds by then.
 *
 * @example
 * const beingChecked = new Set<string>(); // one per server
 * const outcome = await receiveUpload('song.mid', bytes, { store, queue, tokenizer, maxBytes: 5 << 20, beingChecked });
 */
export async function receiveUpload(name: string, bytes: Uint8Array, dependencies: ReceiveUploadDependencies, upload: UploadLabels = {}): Promise<PreprocessOutcome> {
  const key = keys.uploadsPrefix + name;
  const { beingChecked } = dependencies;
  // Claimed before the first await: of two requests for one name in this process, only one can pass.
  if (beingChecked.has(key)) throw beingCheckedError(name);
  beingChecked.add(key);
  try {
    return await judge(name, key, bytes, dependencies, upload);
  } finally {
    beingChecked.delete(key);
  }
}

function beingCheckedError(name: string): UploadBeingCheckedError {
  return new UploadBeingCheckedError(`${name} is still being checked: wait until the file list gives its verdict, then upload again if need be`);
}

async function judge(name: string, key: string, bytes: Uint8Array, dependencies: ReceiveUploadDependencies, upload: UploadLabels): Promise<PreprocessOutcome> {
  const { store, tokenizer } = dependencies;
  const digest = digestOf(bytes);
  if (!(await store.put(key, bytes, { contentType: 'audio/midi', ifAbsent: true }))) {
    const existing = await store.getVersioned(key);
    // Gone between the two calls: another process's upload came and went; this one did not get the name.
    if (!existing) throw beingCheckedError(name);
    const existingDigest = digestOf(existing.bytes);
    const existingAccepted = (await store.head(keys.datasetMeta(tokenizer.name, existingDigest))) !== undefined;
    if (existingAccepted && existingDigest !== digest) {
      if (bytes.length > dependencies.maxBytes) {
        return { status: 'rejected', key, code: 'too-large', message: `this ${name} is ${bytes.length} bytes, over the ${dependencies.maxBytes}-byte limit; the accepted ${name} is kept` };
      }
      const judged = dependencies.tokenize ? await dependencies.tokenize(bytes, key) : tokenizeMidiFile(bytes, key, tokenizer);
      if (!judged.ok) return { status: 'rejected', key, code: judged.code, message: `${judged.message}; the accepted ${name} is kept` };
      throw new UploadNameTakenError(`${name} already holds an accepted file with other music: upload this one under another name`);
    }
    if (!existingAccepted) {
      if (await mayBeCheckedElsewhere(dependencies, key)) throw beingCheckedError(name);
      await replaceUnjudged(name, key, bytes, existing, dependencies);
    }
  }
  const outcome = await admitUpload(key, bytes, dependencies, upload);
  // Only another process can replace the bytes while they are checked (this one holds the name in beingChecked).
  if (outcome.status === 'superseded') throw new UploadNameTakenError(`${name} was taken by another upload while this one was checked: upload this one under another name`);
  return outcome;
}

/**
 * Longest a stored file without a verdict may still be in another process's check (a hostile file is judged within
 * 10 s); an older one's check was interrupted, and the next upload under its name replaces it.
 */
const checkMayRunMs = 60_000;

/**
 * Whether the file under `key`, neither accepted nor judged by this process, may be another process's upload still
 * being checked (another server on the same data folder): it has no rejection newer than its bytes and it landed
 * less than {@link checkMayRunMs} ago. Replacing it then would leave that check's entry without its bytes.
 */
async function mayBeCheckedElsewhere(dependencies: ReceiveUploadDependencies, key: string): Promise<boolean> {
  const [upload, rejection] = await Promise.all([dependencies.store.head(key), dependencies.store.head(keys.rejected(key))]);
  if (!upload || (rejection && rejection.lastModified >= upload.lastModified)) return false;
  return Date.now() - upload.lastModified.getTime() < checkMayRunMs;
}

/**
 * Swaps a rejected or interrupted file for the new bytes, compare-and-swap on the bytes looked at. Another process may
 * have been checking that file and accepted it between the look and the swap: then its bytes are put back (an
 * accepted file is never replaced) and this upload is told the name is being checked.
 */
async function replaceUnjudged(name: string, key: string, bytes: Uint8Array, existing: VersionedObject, dependencies: ReceiveUploadDependencies): Promise<void> {
  const { store, tokenizer } = dependencies;
  if (!(await store.put(key, bytes, { contentType: 'audio/midi', ifMatch: existing.etag }))) throw beingCheckedError(name);
  if (!(await store.head(keys.datasetMeta(tokenizer.name, digestOf(existing.bytes))))) return;
  const swapped = await store.getVersioned(key);
  if (swapped && digestOf(swapped.bytes) === digestOf(bytes)) await store.put(key, existing.bytes, { contentType: 'audio/midi', ifMatch: swapped.etag });
  throw beingCheckedError(name);
}
