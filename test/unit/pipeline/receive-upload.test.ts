import { describe, expect, it } from 'vitest';
import { UploadLister } from '../../../src/local/upload-files.js';
import { keys } from '../../../src/pipeline/keys.js';
import { receiveUpload, UploadNameTakenError } from '../../../src/pipeline/receive-upload.js';
import { MemoryQueue } from '../../../src/queue/memory-queue.js';
import { performanceTokenizer } from '../../../src/tokens/index.js';
import { scaleMidi } from '../../support/tiny-midi.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

const garbage = new TextEncoder().encode('MThd but then nothing a MIDI reader could use');

function setup() {
  const store = temporaryStore();
  const queue = new MemoryQueue();
  return { store, queue, dependencies: { store, queue, tokenizer: performanceTokenizer, maxBytes: 1 << 20 } };
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
});
