import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/dataset/dataset-store.js';
import { loadTrainingFiles, saveTrainingFiles, trainingFilesName, trainingFilesRecord, TrainingFilesError } from '../../../src/model/training-files.js';
import { putJson } from '../../../src/store/json.js';
import { performanceTokenizer } from '../../../src/tokens/index.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

const digest = (n: number) => String(n).repeat(64).slice(0, 64);

function dataset(count: number): Dataset {
  const entries = Array.from({ length: count }, (_, file) => ({
    meta: { schemaVersion: 1 as const, digest: digest(file), source: `${file}.mid`, tokenizer: 'performance' as const, notes: 1, seconds: 1, events: 2 },
    tokens: Uint16Array.of(60, 300),
  }));
  return { tokenizer: performanceTokenizer, entries, digest: 'dataset-digest' };
}

describe('training files record', () => {
  it('names the entries whose token arrays trained, and reads back what it wrote', async () => {
    const data = dataset(3);
    const record = trainingFilesRecord(data, [data.entries[2]!.tokens, data.entries[0]!.tokens]);
    expect(record).toEqual({ schemaVersion: 1, dataDigest: 'dataset-digest', train: [digest(0), digest(2)] });
    const store = temporaryStore();
    await saveTrainingFiles(store, 'models/run/', record);
    expect(await loadTrainingFiles(store, 'models/run/')).toEqual(record);
  });

  it('is absent for models trained before runs recorded it, and refuses a record it cannot read', async () => {
    const store = temporaryStore();
    expect(await loadTrainingFiles(store, '')).toBeUndefined();
    await putJson(store, trainingFilesName, { schemaVersion: 1, dataDigest: 'x', train: ['not a digest'] });
    await expect(loadTrainingFiles(store, '')).rejects.toThrow(TrainingFilesError);
  });
});
