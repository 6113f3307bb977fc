import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelDir } from '../src/model/committed-models.js';
import { defaultModelShape } from '../src/model/config.js';
import { loadModel, saveModel } from '../src/model/model-files.js';
import { keys } from '../src/pipeline/keys.js';
import { FsStore } from '../src/store/fs-store.js';
import { publishLatest } from '../fixtures/published-model.js';
import { randomModel } from '../fixtures/model-fixtures.js';

/** The runId the benchmark publishes its model under. */
export const benchRunId = 'default';

/**
 * A bucket folder holding one published model: the repository's models/default when it has one, otherwise a random
 * model of the default shape (same size, so the same speed).
 */
export async function benchBucket(): Promise<{ root: string; model: string }> {
  const root = mkdtempSync(join(tmpdir(), 'rubato-bench-api-'));
  const store = new FsStore(root);
  const hasDefault = existsSync(join(defaultModelDir, 'manifest.json'));
  const model = hasDefault ? await loadModel(new FsStore(defaultModelDir), '') : randomModel(defaultModelShape, 1);
  await saveModel(store, keys.modelPrefix(benchRunId), model);
  await publishLatest(store, benchRunId);
  return { root, model: hasDefault ? 'models/default' : 'random default-shape model (models/default absent)' };
}

/** The piece the cold-start request asks for: short, so the number shows start-up as well as sampling. */
export const coldStartQuery = { seconds: '5', seed: '1' };
