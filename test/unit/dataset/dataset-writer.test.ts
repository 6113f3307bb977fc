import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, vocabularyKey } from '../../../src/dataset/dataset-store.js';
import { DatasetWriter } from '../../../src/dataset/dataset-writer.js';
import type { DatasetEntryMeta } from '../../../src/dataset/entry.js';
import { FsStore } from '../../../src/store/fs-store.js';
import type { Store } from '../../../src/store/store.js';
import { NotesChordsVocabulary } from '../../../src/tokens/notes-chords-vocabulary.js';

const entry = (index: number, tokenizer: DatasetEntryMeta['tokenizer'] = 'performance') => ({
  meta: { schemaVersion: 1 as const, digest: index.toString(16).padStart(64, '0'), source: `${index}.mid`, tokenizer, notes: 1, seconds: 1, events: 2 },
  tokens: Uint16Array.from([0, 0]),
});

describe('DatasetWriter', () => {
  it('writes every entry added, resolving the digests it stored and not those already there', async () => {
    const store = new FsStore(mkdtempSync(join(tmpdir(), 'rubato-writer-')));
    const first = new DatasetWriter(store, 'tokens/');
    for (let index = 0; index < 40; index++) await first.add(entry(index));
    expect(await first.finish()).toHaveLength(40);

    const again = new DatasetWriter(store, 'tokens/');
    await again.add(entry(3));
    await again.add(entry(40));
    expect(await again.finish()).toEqual([entry(40).meta.digest]);
    expect((await loadDataset(store, 'tokens/')).entries).toHaveLength(41);
  });

  it('notes-chords: stores the vocabulary before the entries whose ids it holds', async () => {
    const store = new FsStore(mkdtempSync(join(tmpdir(), 'rubato-writer-')));
    const writer = new DatasetWriter(store, 'tokens/', new NotesChordsVocabulary());

    await writer.add(entry(1, 'notes-chords'));
    expect(await store.head(vocabularyKey('tokens/'))).toBeUndefined(); // waits for its group
    await writer.finish();

    expect(await store.head(vocabularyKey('tokens/'))).toBeDefined();
    expect((await loadDataset(store, 'tokens/')).entries).toHaveLength(1);
  });

  it('throws a failed write at finish instead of losing it, with no unhandled rejection meanwhile', async () => {
    const folder = new FsStore(mkdtempSync(join(tmpdir(), 'rubato-writer-')));
    const failing: Store = { ...folderMethods(folder), put: async (key, body, options) => (key.endsWith('7'.padStart(64, '0') + '.tokens') ? Promise.reject(new Error('disk full')) : folder.put(key, body, options)) };
    const writer = new DatasetWriter(failing, 'tokens/');

    for (let index = 0; index < 10; index++) await writer.add(entry(index));

    await expect(writer.finish()).rejects.toThrow('disk full');
  });
});

function folderMethods(store: FsStore): Store {
  return {
    get: (key) => store.get(key),
    getVersioned: (key) => store.getVersioned(key),
    head: (key) => store.head(key),
    put: (key, body, options) => store.put(key, body, options),
    list: (prefix) => store.list(prefix),
    delete: (key) => store.delete(key),
  };
}
