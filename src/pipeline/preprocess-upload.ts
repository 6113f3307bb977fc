import { entryKeys } from '../dataset/dataset-store.js';
import { DatasetWriter } from '../dataset/dataset-writer.js';
import type { DatasetEntryMeta } from '../dataset/entry.js';
import { datasetEntryMetaSchema } from '../dataset/entry-meta-schema.js';
import { tokenizeMidiFile, type TokenizedFile } from '../dataset/tokenize-file.js';
import { validOrWarn } from '../log/damaged-object.js';
import { silentLog, type PipelineLog } from '../log/log.js';
import type { Queue } from '../queue/queue.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { Tokenizer } from '../tokens/tokenizer.js';
import type { PreprocessOutcome, RejectionRecord, TrainRequest } from './contracts.js';
import { keys } from './keys.js';
import { uploadComposer } from './upload-composer.js';
import { currentDigest, retireReplacedEntries } from './upload-entries.js';

export interface PreprocessDependencies {
  store: Store;
  queue: Queue;
  tokenizer: Tokenizer;
  /** Larger uploads are rejected from their size alone, without downloading them. */
  maxBytes: number;
  /**
   * MIDI bytes → tokens. Default: {@link tokenizeMidiFile} in this thread (a Lambda handles one event at a time); the
   * local server passes a worker so a hostile file cannot stall its other requests.
   */
  tokenize?: (bytes: Uint8Array, key: string) => Promise<TokenizedFile>;
  log?: PipelineLog;
}

/** What an uploader may say about a file beside its bytes. */
export interface UploadLabels {
  /** Overrides the object's `composer` metadata. */
  composer?: string;
}

/** Which version of an upload an S3 event announced (both absent when the caller holds the bytes itself). */
export interface UploadVersion {
  /** S3's VersionId in a versioned bucket: the entry records it as `sourceVersion`. */
  versionId?: string;
  /** The object's ETag as the event gives it (S3 leaves out the quotes): an event whose object was replaced since is stale. */
  etag?: string;
}

/** Codes of rejections decided here, before the MIDI layer sees the bytes. */
export type UploadRejectionCode = 'missing' | 'too-large';

/**
 * One upload → its content-addressed dataset entry and a "train requested" message, or `rejected/<key>.json` saying
 * why. A bad file never throws (it is rejected once, not retried); a store or queue error does, so the caller retries.
 * Running it again for the same key is harmless: the entry is written once, and the train request is sent again
 * (the trainer coalesces requests), so a retry after a failed send still reaches the trainer. A file uploaded again
 * under a name that was rejected before is judged afresh: an accepted outcome removes the old rejection record.
 * The dataset follows the object: an event for a version that has been replaced since is `superseded` (the newer
 * version's own event brings its music), and the entry of a replaced version is retired ({@link admitUpload}).
 *
 * @example
 * const outcome = await preprocessUpload('uploads/a b.mid', { store, queue, tokenizer: performanceTokenizer, maxBytes: 5 << 20 });
 * if (outcome.status === 'rejected') console.log(outcome.code, outcome.message);
 */
export async function preprocessUpload(key: string, dependencies: PreprocessDependencies, upload: UploadLabels = {}, version: UploadVersion = {}): Promise<PreprocessOutcome> {
  const { store, maxBytes } = dependencies;
  const object = await store.head(key);
  if (!object) return reject(dependencies, key, 'missing', `${key} is not in the bucket any more: upload it again`);
  if (object.size > maxBytes) {
    return reject(dependencies, key, 'too-large', `${key} is ${object.size} bytes, over the ${maxBytes}-byte limit: upload a shorter file`);
  }
  const stored = await store.getVersioned(key);
  if (!stored) return reject(dependencies, key, 'missing', `${key} is not in the bucket any more: upload it again`);
  if (version.etag !== undefined && unquoted(version.etag) !== unquoted(stored.etag)) {
    return supersede(dependencies, key, `${key} was uploaded again after this event's version: the newer upload's event brings its music`);
  }
  // Who wrote it, when the uploader says so: the style a model with controls learns it as.
  const composer = upload.composer ?? object.metadata?.composer;
  return admitUpload(key, stored.bytes, dependencies, { ...(composer !== undefined ? { composer } : {}), ...(version.versionId !== undefined ? { sourceVersion: version.versionId } : {}) });
}

/**
 * Judges bytes in hand as the upload `key` (the local server passes its request's own bytes, so its answer describes
 * them and nothing read back): tokenized, written as an entry (or rejected), then checked against the object. When the
 * key no longer holds these bytes (it was uploaded again meanwhile), their entry is retired at once and the outcome is
 * `superseded`; either way every other entry that came from the key is retired, so no entry outlives its bytes.
 */
export async function admitUpload(key: string, bytes: Uint8Array, dependencies: PreprocessDependencies, upload: UploadLabels & { sourceVersion?: string } = {}): Promise<PreprocessOutcome> {
  const { store, queue, tokenizer } = dependencies;
  const log = dependencies.log ?? silentLog;
  const tokenized = dependencies.tokenize ? await dependencies.tokenize(bytes, key) : tokenizeMidiFile(bytes, key, tokenizer);
  const prefix = keys.datasetPrefix(tokenizer.name);
  if (!tokenized.ok) {
    // A bad file that replaced a good one: the good one's entry has lost its bytes.
    if (!(await keyStillHolds(dependencies, prefix, key, tokenized.digest))) return supersede(dependencies, key, supersededWhileChecked(key));
    return reject(dependencies, key, tokenized.code, tokenized.message);
  }
  const composer = uploadComposer(upload.composer);
  const { tokens } = tokenized;
  const meta: DatasetEntryMeta = {
    ...tokenized.meta,
    ...(upload.sourceVersion !== undefined ? { sourceVersion: upload.sourceVersion } : {}),
    ...(composer ? { composer } : {}),
  };
  await store.delete(keys.rejected(key));
  const writer = new DatasetWriter(store, prefix);
  await writer.add({ meta, tokens });
  const written = (await writer.finish()).includes(meta.digest);
  if (!(await keyStillHolds(dependencies, prefix, key, meta.digest))) return supersede(dependencies, key, supersededWhileChecked(key));
  if (written) {
    await requestTraining(queue, tokenizer, `${key} accepted`);
    log.info('upload accepted', { key, digest: meta.digest, events: meta.events, notes: meta.notes, seconds: meta.seconds });
    return { status: 'accepted', key, digest: meta.digest, events: meta.events, notes: meta.notes, seconds: meta.seconds };
  }
  const first = validOrWarn(await getJson(store, entryKeys(prefix, meta.digest).meta, datasetEntryMetaSchema), log, 'answering duplicate without its first source');
  // The entry came from this very key: a re-delivered event, perhaps after the first attempt's send failed.
  if (first?.source === key) await requestTraining(queue, tokenizer, `${key} accepted (again)`);
  log.info('upload is a duplicate', { key, digest: meta.digest, firstSource: first?.source });
  return { status: 'duplicate', key, digest: meta.digest };
}

async function requestTraining(queue: Queue, tokenizer: Tokenizer, reason: string): Promise<void> {
  const request: TrainRequest = { schemaVersion: 1, requestedAt: new Date().toISOString(), reason, tokenizer: tokenizer.name };
  await queue.send(JSON.stringify(request));
}

/**
 * The dataset follows the object: retires every entry that came from `key` but is not of the bytes it holds now, and
 * says whether those are still the bytes with `digest` (false: the key was uploaded again while they were checked).
 */
async function keyStillHolds(dependencies: PreprocessDependencies, prefix: string, key: string, digest: string): Promise<boolean> {
  const current = await currentDigest(dependencies.store, key);
  await retireReplacedEntries(dependencies.store, prefix, key, current, dependencies.log ?? silentLog);
  return current === digest;
}

const supersededWhileChecked = (key: string) => `${key} was uploaded again while this version was checked: the newer upload is the one kept`;

function supersede(dependencies: PreprocessDependencies, key: string, message: string): PreprocessOutcome {
  (dependencies.log ?? silentLog).info('upload superseded', { key, reason: message });
  return { status: 'superseded', key, message };
}

/** S3 events give ETags bare, GetObject in quotes. */
function unquoted(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

async function reject(dependencies: PreprocessDependencies, key: string, code: string, message: string): Promise<PreprocessOutcome> {
  const record: RejectionRecord = { schemaVersion: 1, key, code, message, rejectedAt: new Date().toISOString() };
  await putJson(dependencies.store, keys.rejected(key), record);
  (dependencies.log ?? silentLog).warn('upload rejected', { key, code, reason: message });
  return { status: 'rejected', key, code, message };
}
