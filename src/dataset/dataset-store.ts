import { createHash } from 'node:crypto';
import { z } from 'zod';
import { getJson, putJson, type DamagedJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import { getTokenizer } from '../tokens/index.js';
import { NotesChordsVocabulary } from '../tokens/notes-chords-vocabulary.js';
import type { Tokenizer, TokenizerName } from '../tokens/tokenizer.js';
import { DatasetError } from './dataset-error.js';
import type { DatasetEntryMeta } from './entry.js';
import { datasetEntryMetaSchema } from './entry-meta-schema.js';
import { bytesToTokens, tokensToBytes } from './token-bytes.js';

export interface DatasetEntry {
  meta: DatasetEntryMeta;
  tokens: Uint16Array;
}

/** Every tokenized file under one prefix, ready for training. */
export interface Dataset {
  tokenizer: Tokenizer;
  entries: DatasetEntry[];
  /** sha256 over the sorted entry digests (one per line): names exactly this set of files in model manifests. */
  digest: string;
  /** notes-chords only: the vocabulary stored beside the tokens. */
  vocabulary?: NotesChordsVocabulary;
}

const ENTRY_META_KEY = /(^|\/)[0-9a-f]{64}\.json$/;

/** Sidecar reads under way at once when listing entries. */
const META_READS_IN_FLIGHT = 32;

export const entryKeys = (prefix: string, digest: string) => ({
  tokens: `${prefix}${digest}.tokens`,
  meta: `${prefix}${digest}.json`,
});

export const vocabularyKey = (prefix: string) => `${prefix}vocabulary.json`;

/**
 * Stores one entry content-addressed: `<prefix><digest>.tokens` (Uint16 LE) then `<prefix><digest>.json`, the sidecar
 * last so a reader never finds metadata without its tokens. Resolves false, writing nothing, when the entry exists.
 * @example await writeEntry(new FsStore(out), 'tokens/', result.meta, result.tokens);
 */
export async function writeEntry(store: Store, prefix: string, meta: DatasetEntryMeta, tokens: Uint16Array): Promise<boolean> {
  const keys = entryKeys(prefix, meta.digest);
  if (await store.head(keys.meta)) return false;
  await store.put(keys.tokens, tokensToBytes(tokens), { contentType: 'application/octet-stream' });
  await putJson(store, keys.meta, meta);
  return true;
}

/** Hears of each damaged entry a reader skips: an entry whose sidecar does not read must not stop the others. */
export type OnDamagedEntry = (damage: DamagedJson) => void;

/** The metadata of every entry under `prefix`, sorted by digest; a damaged sidecar is skipped and told to `onDamaged`. */
export async function listEntryMetas(store: Store, prefix: string, onDamaged: OnDamagedEntry = () => {}): Promise<DatasetEntryMeta[]> {
  const keys = (await store.list(prefix)).map((object) => object.key).filter((key) => ENTRY_META_KEY.test(key.slice(prefix.length)));
  const metas: DatasetEntryMeta[] = [];
  // One read at a time cost a round trip per entry: 938 sidecars are seconds on S3.
  for (let start = 0; start < keys.length; start += META_READS_IN_FLIGHT) {
    const chunk = await Promise.all(keys.slice(start, start + META_READS_IN_FLIGHT).map((key) => getJson(store, key, datasetEntryMetaSchema)));
    for (const read of chunk) {
      if (read.status === 'valid') metas.push(read.value);
      else if (read.status === 'damaged') onDamaged(read);
    }
  }
  return metas.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
}

/** The stored vocabulary, checked by its own codec, whose error becomes the reason the object is damaged. */
const vocabularySchema = z.unknown().transform((json, context) => {
  try {
    return NotesChordsVocabulary.fromJSON(json);
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});

/**
 * The notes-chords vocabulary stored under `prefix`, or undefined when there is none yet. Throws {@link DatasetError}
 * naming the key when it is damaged: every id of the data means a symbol of it, so nothing can train or decode without it.
 */
export async function loadVocabulary(store: Store, prefix: string): Promise<NotesChordsVocabulary | undefined> {
  const read = await getJson(store, vocabularyKey(prefix), vocabularySchema);
  if (read.status === 'damaged') throw new DatasetError(`${read.key} is damaged (${read.reason})`);
  return read.status === 'valid' ? read.value : undefined;
}

/** Stores the vocabulary beside the tokens. Callers only ever append to it, so stored ids stay valid. */
export async function saveVocabulary(store: Store, prefix: string, vocabulary: NotesChordsVocabulary): Promise<void> {
  await putJson(store, vocabularyKey(prefix), vocabulary.toJSON());
}

/** The dataset digest: sha256 over the sorted entry digests, one per line. */
export function datasetDigest(digests: readonly string[]): string {
  return createHash('sha256').update([...digests].sort().join('\n')).digest('hex');
}

/**
 * Reads every entry under `prefix` (and the vocabulary for notes-chords). Throws {@link DatasetError} for an empty
 * prefix, mixed tokenizers, a missing or cut `.tokens` file, or notes-chords data without its vocabulary (or with a
 * damaged one). An entry whose sidecar is damaged is left out and told to `onDamaged`.
 * @example const dataset = await loadDataset(new FsStore('data'), 'tokens/');
 */
export async function loadDataset(store: Store, prefix: string, onDamaged?: OnDamagedEntry): Promise<Dataset> {
  const metas = await listEntryMetas(store, prefix, onDamaged);
  if (metas.length === 0) throw new DatasetError(`no tokenized files under "${prefix}": run preprocess first`);
  const tokenizerName: TokenizerName = metas[0]!.tokenizer;
  const vocabulary = tokenizerName === 'notes-chords' ? await loadVocabulary(store, prefix) : undefined;
  if (tokenizerName === 'notes-chords' && !vocabulary) {
    throw new DatasetError(`notes-chords data under "${prefix}" has no ${vocabularyKey(prefix)}`);
  }
  const tokenizer = getTokenizer(tokenizerName, vocabulary);
  const entries: DatasetEntry[] = [];
  for (const meta of metas) {
    if (meta.tokenizer !== tokenizerName) {
      throw new DatasetError(`"${prefix}" mixes tokenizers: ${meta.digest} is ${meta.tokenizer}, others ${tokenizerName}`);
    }
    const key = entryKeys(prefix, meta.digest).tokens;
    const bytes = await store.get(key);
    if (!bytes) throw new DatasetError(`${key} is missing (its .json sidecar exists)`);
    const tokens = bytesToTokens(bytes);
    if (tokens.length !== meta.events) throw new DatasetError(`${key} holds ${tokens.length} ids, its sidecar says ${meta.events}`);
    const outside = tokens.findIndex((id) => id >= tokenizer.vocabSize);
    if (outside >= 0) throw new DatasetError(`${key}: id ${tokens[outside]} at ${outside} is outside the ${tokenizer.vocabSize}-id vocabulary`);
    entries.push({ meta, tokens });
  }
  const digest = datasetDigest(metas.map((meta) => meta.digest));
  return { tokenizer, entries, digest, ...(vocabulary ? { vocabulary } : {}) };
}
