import type { Dataset } from '../../dataset/dataset-store.js';
import { DatasetError } from '../../dataset/dataset-error.js';
import { applySplit } from '../../dataset/split.js';
import { loadTrainingFiles, TrainingFilesError } from '../../model/training-files.js';
import { FsStore } from '../../store/fs-store.js';
import { loadTokenFolder } from './token-folder.js';
import { usageError } from './usage-error.js';

/** The files n-gram baselines are fit on, and a sentence saying which they are. */
export interface BaselineFiles {
  files: Uint16Array[];
  fitOn: string;
}

export interface BaselineFilesQuery {
  modelFolder: string;
  dataFolder: string;
  data: Awaited<ReturnType<typeof loadTokenFolder>>;
  /** Digests of the files being scored: a baseline never sees them. */
  scored: ReadonlySet<string>;
  baselineData?: string;
}

/**
 * Where eval's baselines learn from, never from the events it scores: the folder the user names, else the files the
 * model recorded it trained on (found in the data folder), else the train side of the data folder's split. A choice
 * that leaves no file is a usage error that says what to pass.
 */
export async function baselineFiles(query: BaselineFilesQuery): Promise<BaselineFiles> {
  const unseen = (dataset: Dataset, keep: (digest: string) => boolean) =>
    dataset.entries.filter((entry) => keep(entry.meta.digest) && !query.scored.has(entry.meta.digest) && entry.tokens.length >= 2).map((entry) => entry.tokens);
  const found = (files: Uint16Array[], fitOn: string): BaselineFiles =>
    files.length > 0 ? { files, fitOn } : usageError('eval', `no file to fit the baselines on (${fitOn}); pass --baseline-data <folder> with training data the scored files are not in`);

  if (query.baselineData !== undefined) {
    const { dataset } = await loadTokenFolder(query.baselineData).catch((error: unknown) =>
      error instanceof DatasetError ? usageError('eval', `--baseline-data ${query.baselineData}: ${error.message}`) : Promise.reject(error),
    );
    const files = unseen(dataset, () => true);
    return found(files, `${files.length} files of ${query.baselineData} (--baseline-data), those also scored left out`);
  }
  const record = await loadTrainingFiles(new FsStore(query.modelFolder), '').catch((error: unknown) =>
    error instanceof TrainingFilesError ? usageError('eval', error.message) : Promise.reject(error),
  );
  if (record !== undefined) {
    const trained = new Set(record.train);
    const files = unseen(query.data.dataset, (digest) => trained.has(digest));
    return found(files, `the model's own training files: ${files.length} of its ${record.train.length} found in ${query.dataFolder}`);
  }
  const { train } = applySplit(query.data.dataset.entries, query.data.split);
  const trainSide = new Set(train.map((entry) => entry.meta.digest));
  const files = unseen(query.data.dataset, (digest) => trainSide.has(digest));
  return found(files, `the train side of ${query.dataFolder}'s split (${files.length} files); the model did not record its training files`);
}
