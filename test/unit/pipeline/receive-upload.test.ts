import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UploadLister } from '../../../src/local/upload-files.js';
import { keys } from '../../../src/pipeline/keys.js';
import { tokenizeMidiFile, type TokenizedFile } from '../../../src/dataset/tokenize-file.js';
import { receiveUpload, UploadBeingCheckedError, UploadNameTakenError } from '../../../src/pipeline/receive-upload.js';
import { MemoryQueue } from '../../../src/queue/memory-queue.js';
import { performanceTokenizer } from '../../../src/tokens/index.js';
import { scaleMidi } from '../../support/tiny-midi.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

const garbage = new TextEncoder().encode('MThd but then nothing a MIDI reader could use');

function setup() {
  const store = temporaryStore();
  const queue = new MemoryQueue();
  return { store, queue, dependencies: { store, queue, tokenizer: performanceTokenizer, maxBytes: 1 << 20, beingChecked: new Set<string>() } };
}

/** A tokenizer that holds every file until `release()`: the window while the worker is still judging an upload. */
function heldTokenizer() {
  let release!: () => void;
  const released = new Promise<void>((done) => (release = done));
  const tokenize = async (bytes: Uint8Array, key: string): Promise<TokenizedFile> => {
    await released;
    return tokenizeMidiFile(bytes, key, performanceTokenizer);
  };
  return { tokenize, release };
}

describe('receiveUpload', () => {
  it('a bad re-upload under an accepted name is reported rejected and leaves the original, its entry and its listing', async () => {
    const { store, dependencies } = setup();
    const original = scaleMidi(64, 1);
    const first = await receiveUpload('song.mid', original, dependencies);

    const again = await receiveUpload('song.mid', garbage, dependencies);

    expect(first.status).toBe('accepted');
    expect(again).toMatchObject({ status: 'rejected', key: 'uploads/song.mid', message: expect.stringMatching(/the accepted song\.mid is kept$/) });
    expect(await store.get('uploads/song.mid')).toEqual(original);
    expect(await store.head(keys.rejected('uploads/song.mid'))).toBeUndefined();
    const [listed] = await new UploadLister(store, 'performance').list();
    expect(listed).toMatchObject({ name: 'song.mid', status: 'accepted' });
  });

  it('refuses other good music under an accepted name (409 name-taken); the same bytes again are harmless', async () => {
    const { store, dependencies } = setup();
    await receiveUpload('song.mid', scaleMidi(64, 1), dependencies);

    await expect(receiveUpload('song.mid', scaleMidi(64, 2), dependencies)).rejects.toBeInstanceOf(UploadNameTakenError);
    expect(await receiveUpload('song.mid', scaleMidi(64, 1), dependencies)).toMatchObject({ status: 'duplicate' });
    expect(await store.get('uploads/song.mid')).toEqual(scaleMidi(64, 1));
  });

  it('a name whose file was rejected is overwritten and judged afresh (the old rejection goes)', async () => {
    const { store, queue, dependencies } = setup();
    expect((await receiveUpload('song.mid', garbage, dependencies)).status).toBe('rejected');

    const fixed = await receiveUpload('song.mid', scaleMidi(64, 3), dependencies);

    expect(fixed.status).toBe('accepted');
    expect(await store.head(keys.rejected('uploads/song.mid'))).toBeUndefined();
    expect(queue.size).toBe(1);
  });

  it.each([
    ['other good music', scaleMidi(64, 2)],
    ['garbage', garbage],
  ])('while the first file is still being checked, %s under its name is refused as being checked (issue 24, item 3)', async (_, second) => {
    const { store, dependencies } = setup();
    const held = heldTokenizer();
    const first = receiveUpload('song.mid', scaleMidi(64, 1), { ...dependencies, tokenize: held.tokenize });
    while (!(await store.head('uploads/song.mid'))) await new Promise((done) => setTimeout(done, 1));

    const during = receiveUpload('song.mid', second, { ...dependencies, tokenize: held.tokenize }).catch((error: unknown) => error);
    held.release();

    expect(await during).toMatchObject({ code: 'being-checked', message: expect.stringMatching(/^song\.mid is still being checked/) });
    expect(await during).toBeInstanceOf(UploadBeingCheckedError);
    expect(await first).toMatchObject({ status: 'accepted' });
    expect(await store.get('uploads/song.mid')).toEqual(scaleMidi(64, 1));
  });

  it('a file whose check was interrupted (stored over a minute ago, no verdict, no longer being checked) is replaced and judged afresh', async () => {
    const { store, dependencies } = setup();
    await store.put('uploads/song.mid', scaleMidi(64, 1));
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    utimesSync(join(store.root, 'uploads/song.mid'), twoMinutesAgo, twoMinutesAgo);

    const outcome = await receiveUpload('song.mid', scaleMidi(64, 2), dependencies);

    expect(outcome).toMatchObject({ status: 'accepted' });
    expect(await store.get('uploads/song.mid')).toEqual(scaleMidi(64, 2));
  });

  it('a file without a verdict stored moments ago may be in another server’s check: being checked, and kept (issue 24, item 1)', async () => {
    const { store, dependencies } = setup();
    await store.put('uploads/song.mid', scaleMidi(64, 1)); // another process's upload, its check under way

    await expect(receiveUpload('song.mid', scaleMidi(64, 2), dependencies)).rejects.toBeInstanceOf(UploadBeingCheckedError);
    expect(await store.get('uploads/song.mid')).toEqual(scaleMidi(64, 1));
  });
});
