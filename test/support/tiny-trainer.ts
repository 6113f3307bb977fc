import { resolveHyperparameters } from '../../src/model/hyperparameters.js';
import { preprocessUpload } from '../../src/pipeline/preprocess-upload.js';
import type { Queue } from '../../src/queue/queue.js';
import type { Store } from '../../src/store/store.js';
import { performanceTokenizer } from '../../src/tokens/index.js';
import { scaleMidi } from './tiny-midi.js';

/**
 * A network and schedule small enough that a run of `maxSteps` takes a second or two. Without controls: the tests
 * share one engine instance, whose input width must not depend on the composers in each test's data.
 */
export const tinyTraining = {
  tokenizer: 'performance' as const,
  shape: { embeddingSize: 8, units: 16, layers: 1 },
  hyperparameters: resolveHyperparameters({
    batchSize: 4,
    steps: 16,
    warmupSteps: 2,
    validationEvery: 10,
    validationMaxEvents: 400,
    outputBiasFromUnigram: false,
    controls: false,
  }),
  minutes: 1,
  maxSteps: 30,
};

/** Puts `count` different scale files under `uploads/` and preprocesses them (one train request each). */
export async function uploadScales(store: Store, queue: Queue, count: number): Promise<void> {
  for (let variant = 0; variant < count; variant++) {
    const key = `uploads/scale ${variant}.mid`;
    await store.put(key, scaleMidi(64, variant));
    await preprocessUpload(key, { store, queue, tokenizer: performanceTokenizer, maxBytes: 1 << 20 });
  }
}
