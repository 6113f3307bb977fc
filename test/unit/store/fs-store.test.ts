import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FsStore, maxKeyPartBytes } from '../../../src/store/fs-store.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('FsStore', () => {
  let root: string;
  let store: FsStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rubato-fs-store-'));
    store = new FsStore(root);
  });

  it('puts, gets and heads an object; a missing key is undefined', async () => {
    await store.put('models/run-1/manifest.json', bytes('{}'));

    expect(new TextDecoder().decode(await store.get('models/run-1/manifest.json'))).toBe('{}');
    expect((await store.head('models/run-1/manifest.json'))?.size).toBe(2);
    expect(await store.get('models/none.json')).toBeUndefined();
    expect(await store.head('models/run-1')).toBeUndefined();
  });

  it('lists by string prefix like S3, sorted, across folders', async () => {
    for (const key of ['datasets/p/b.json', 'datasets/p/a.json', 'datasets/q/c.json', 'models/latest.json']) {
      await store.put(key, bytes(key));
    }

    expect((await store.list('datasets/')).map((object) => object.key)).toEqual(['datasets/p/a.json', 'datasets/p/b.json', 'datasets/q/c.json']);
    expect((await store.list('datasets/p/a')).map((object) => object.key)).toEqual(['datasets/p/a.json']);
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('writes only when absent with ifAbsent, and says whether it wrote: the ETag of the bytes written, or undefined', async () => {
    const written = await store.put('a.txt', bytes('first'), { ifAbsent: true });
    expect(await store.put('a.txt', bytes('second'), { ifAbsent: true })).toBeUndefined();

    expect(written).toBe((await store.getVersioned('a.txt'))!.etag);
    expect(new TextDecoder().decode(await store.get('a.txt'))).toBe('first');
  });

  it('deletes an object and the folders it leaves empty, but not the root or non-empty folders', async () => {
    await store.put('checkpoints/run/step-1/parameters.bin', bytes('x'));
    await store.put('checkpoints/other.json', bytes('y'));

    await store.delete('checkpoints/run/step-1/parameters.bin');
    await store.delete('never/was/there.bin');

    expect(readdirSync(join(root, 'checkpoints'))).toEqual(['other.json']);
    await store.delete('checkpoints/other.json');
    expect(readdirSync(root)).toEqual([]);
  });

  it('writes into folders that a delete removed, plain and conditional puts alike', async () => {
    await store.put('tokens/a/x.json', bytes('1'));
    await store.delete('tokens/a/x.json'); // takes tokens/a/ and tokens/ with it

    await store.put('tokens/a/y.json', bytes('2'));
    await store.delete('tokens/a/y.json');
    expect(await store.put('tokens/a/z.json', bytes('3'), { ifAbsent: true })).toBeDefined();

    expect((await store.list('tokens/')).map((object) => object.key)).toEqual(['tokens/a/z.json']);
  });

  it('writes a key whose last part is maxKeyPartBytes long, plainly and conditionally (issue 24: ENAMETOOLONG)', async () => {
    const key = `uploads/${'a'.repeat(maxKeyPartBytes)}`;

    await store.put(key, bytes('plain'));
    expect(await store.put(key, bytes('conditional'), { ifMatch: (await store.getVersioned(key))!.etag })).toBeDefined();

    expect(new TextDecoder().decode(await store.get(key))).toBe('conditional');
  });

  it('leaves no temporary files behind and never lists them', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put('same.bin', bytes(`version ${i}`))));

    expect(readdirSync(root)).toEqual(['same.bin']);
    expect((await store.list('')).map((object) => object.key)).toEqual(['same.bin']);
  });

  it.each(['../escape', '/absolute', 'a//b', 'a/../../b'])('refuses the key %j', async (key) => {
    await expect(store.get(key)).rejects.toThrow(/invalid store key/);
  });

  it('compare-and-swap: of two writers holding the same ETag exactly one wins; the lock file never shows in a listing', async () => {
    await store.put('models/latest.json', bytes('v1'));
    const { etag } = (await store.getVersioned('models/latest.json'))!;

    const results = await Promise.all([
      store.put('models/latest.json', bytes('from a'), { ifMatch: etag }),
      store.put('models/latest.json', bytes('from b'), { ifMatch: etag }),
    ]);

    const won = results.filter((result) => result !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]).toBe((await store.getVersioned('models/latest.json'))!.etag);
    expect(['from a', 'from b']).toContain(new TextDecoder().decode(await store.get('models/latest.json')));
    expect(await store.put('models/latest.json', bytes('stale'), { ifMatch: etag })).toBeUndefined();
    expect(await store.put('models/none.json', bytes('x'), { ifMatch: etag })).toBeUndefined();
    expect((await store.list('models/')).map((object) => object.key)).toEqual(['models/latest.json']);
  });
});
