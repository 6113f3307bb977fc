import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../../../src/dataset/dataset-error.js';
import { datasetDigest, loadDataset, saveVocabulary, writeEntry } from '../../../src/dataset/dataset-store.js';
import type { DatasetEntryMeta } from '../../../src/dataset/entry.js';
import { FsStore } from '../../../src/store/fs-store.js';
import { NotesChordsVocabulary } from '../../../src/tokens/index.js';

const metaOf = (digestChar: string, tokens: Uint16Array, overrides: Partial<DatasetEntryMeta> = {}): DatasetEntryMeta => ({
  schemaVersion: 1,
  digest: digestChar.repeat(64),
  source: `${digestChar}.mid`,
  tokenizer: 'performance',
  notes: 1,
  seconds: 0.5,
  events: tokens.length,
  ...overrides,
});

describe('dataset store over FsStore', () => {
  let root: string;
  let store: FsStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'rubato-dataset-'));
    store = new FsStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reads back what it wrote: ids little-endian, metadata, and the digest over sorted entry digests', async () => {
    const a = Uint16Array.of(60, 300, 188, 387);
    const b = Uint16Array.of(355, 0);
    await writeEntry(store, 'tokens/', metaOf('b', b, { piece: 'Bach: Fugue' }), b);
    await writeEntry(store, 'tokens/', metaOf('a', a), a);

    const dataset = await loadDataset(store, 'tokens/');

    expect(dataset.tokenizer.name).toBe('performance');
    expect(dataset.entries.map((entry) => entry.meta.digest)).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    expect(dataset.entries[0]!.tokens).toEqual(a);
    expect(dataset.entries[1]!.meta.piece).toBe('Bach: Fugue');
    expect(dataset.digest).toBe(datasetDigest(['b'.repeat(64), 'a'.repeat(64)]));
    expect(Array.from(new Uint8Array((await store.get(`tokens/${'b'.repeat(64)}.tokens`))!))).toEqual([0x63, 0x01, 0, 0]);
  });

  it('skips an entry that already exists', async () => {
    const tokens = Uint16Array.of(60, 188);
    expect(await writeEntry(store, 'tokens/', metaOf('c', tokens), tokens)).toBe(true);

    expect(await writeEntry(store, 'tokens/', metaOf('c', tokens, { source: 'again.mid' }), tokens)).toBe(false);
    expect((await loadDataset(store, 'tokens/')).entries[0]!.meta.source).toBe('c.mid');
  });

  it('loads notes-chords data with the vocabulary stored beside it', async () => {
    const vocabulary = new NotesChordsVocabulary();
    vocabulary.add('60');
    vocabulary.add('60.64.67');
    await saveVocabulary(store, 'tokens/', vocabulary);
    const tokens = Uint16Array.of(1, 0, 2);
    await writeEntry(store, 'tokens/', metaOf('d', tokens, { tokenizer: 'notes-chords' }), tokens);

    const dataset = await loadDataset(store, 'tokens/');

    expect(dataset.vocabulary?.size).toBe(3);
    expect(dataset.tokenizer.decode(dataset.entries[0]!.tokens).notes.map((note) => note.pitch)).toEqual([60, 60, 64, 67]);
  });

  it.each([
    ['an empty prefix', async () => {}, /no tokenized files/],
    [
      'a cut token file',
      async () => {
        const tokens = Uint16Array.of(1, 2, 3);
        await writeEntry(store, 'tokens/', metaOf('e', tokens, { events: 4 }), tokens);
      },
      /holds 3 ids, its sidecar says 4/,
    ],
    [
      'notes-chords without a vocabulary',
      async () => {
        const tokens = Uint16Array.of(0);
        await writeEntry(store, 'tokens/', metaOf('f', tokens, { tokenizer: 'notes-chords' }), tokens);
      },
      /has no tokens\/vocabulary.json/,
    ],
    [
      'an id outside the vocabulary',
      async () => {
        const tokens = Uint16Array.of(388);
        await writeEntry(store, 'tokens/', metaOf('9', tokens), tokens);
      },
      /id 388 at 0 is outside the 388-id vocabulary/,
    ],
  ])('refuses %s with a DatasetError', async (_, prepare, message) => {
    await prepare();

    const loading = loadDataset(store, 'tokens/');

    await expect(loading).rejects.toThrow(DatasetError);
    await expect(loading).rejects.toThrow(message);
  });
});
