import { entryKeys, listEntryMetas } from '../dataset/dataset-store.js';
import { digestOf } from '../dataset/tokenize-file.js';
import type { PipelineLog } from '../log/log.js';
import type { Store } from '../store/store.js';

/**
 * The digest of the bytes an upload key holds now, undefined when it is gone. An upload's entry is written after its
 * bytes were read; meanwhile the object may have been replaced (the key uploaded again), so the entry is checked
 * against the object once it is written.
 */
export async function currentDigest(store: Store, key: string): Promise<string | undefined> {
  const bytes = await store.get(key);
  return bytes === undefined ? undefined : digestOf(bytes);
}

/**
 * Retires (deletes, sidecar first so no reader finds metadata without tokens) every entry under `prefix` that came
 * from the upload `key` and is not the entry of the bytes it holds now (`keep`, from {@link currentDigest}; undefined
 * when the object is gone): the dataset follows the object, so when a key is uploaded again the replaced version's
 * music leaves the training data, whichever of the two uploads' events is handled last. Resolves the retired digests.
 *
 * Reads every sidecar under the prefix (one list, 32 reads in flight): the entries are content-addressed, so nothing
 * cheaper says which of them came from a key. An entry another upload duplicated keeps its first source's name only,
 * so it leaves with that source.
 *
 * @example
 * await retireReplacedEntries(store, 'datasets/performance/', 'uploads/a.mid', meta.digest, log);
 */
export async function retireReplacedEntries(store: Store, prefix: string, key: string, keep: string | undefined, log: PipelineLog): Promise<string[]> {
  const replaced = (await listEntryMetas(store, prefix)).filter((meta) => meta.source === key && meta.digest !== keep);
  for (const meta of replaced) {
    const entry = entryKeys(prefix, meta.digest);
    await store.delete(entry.meta);
    await store.delete(entry.tokens);
    log.info('dataset entry retired: its upload was replaced', { key, digest: meta.digest, sourceVersion: meta.sourceVersion });
  }
  return replaced.map((meta) => meta.digest);
}
