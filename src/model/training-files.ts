import { z } from 'zod';
import type { Dataset } from '../dataset/dataset-store.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';

/** Beside a model's manifest: which files it trained on, so it can be scored against baselines fit on the same files. */
export const trainingFilesName = 'training-files.json';

const recordSchema = z.object({
  schemaVersion: z.literal(1),
  dataDigest: z.string(),
  /** Digests of the files the model trained on. */
  train: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
});

export type TrainingFilesRecord = z.infer<typeof recordSchema>;

export class TrainingFilesError extends Error {
  override readonly name = 'TrainingFilesError';
}

/** The record of a run: the dataset's entries whose token arrays are among the training files. */
export function trainingFilesRecord(dataset: Dataset, trainFiles: readonly Uint16Array[]): TrainingFilesRecord {
  const training = new Set(trainFiles);
  const train = dataset.entries.filter((entry) => training.has(entry.tokens)).map((entry) => entry.meta.digest);
  return { schemaVersion: 1, dataDigest: dataset.digest, train: [...new Set(train)].sort() };
}

export async function saveTrainingFiles(store: Store, prefix: string, record: TrainingFilesRecord): Promise<void> {
  await putJson(store, prefix + trainingFilesName, record);
}

/** The record under `prefix`, undefined for a model trained before runs recorded it; throws when it is unreadable. */
export async function loadTrainingFiles(store: Store, prefix: string): Promise<TrainingFilesRecord | undefined> {
  const read = await getJson(store, prefix + trainingFilesName, recordSchema);
  if (read.status === 'damaged') throw new TrainingFilesError(`${read.key} is not a training files record: ${read.reason}`);
  return read.status === 'valid' ? read.value : undefined;
}
