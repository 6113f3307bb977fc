import { loadDataset } from '../dataset/dataset-store.js';
import { silentLog, type PipelineLog } from '../log/log.js';
import type { ModelShape } from '../model/config.js';
import type { TrainHyperparameters } from '../model/hyperparameters.js';
import { modelFileNames } from '../model/model-files.js';
import { trainModel, type TrainProgressEvent, type TrainRunOptions } from '../model/trainer.js';
import { getJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import type { LatestPointer } from './contracts.js';
import { keys } from './keys.js';
import { pointLatestAt, publishModel, removeStaging } from './publish-model.js';
import { runIdFor } from './run-id.js';

export interface TrainDatasetOptions {
  store: Store;
  tokenizer: TokenizerName;
  /** The vocabulary size comes from the dataset's tokenizer. */
  shape: Omit<ModelShape, 'vocabSize'>;
  hyperparameters: TrainHyperparameters;
  /** Wall-clock budget of the run, earlier sessions of a resumed run included. */
  minutes: number;
  maxSteps?: number;
  /** An engine choice ('auto' in the container), or an engine the caller owns and reuses across runs. */
  engine: TrainRunOptions['engine'];
  /** Abort → the trainer checkpoints and this resolves `interrupted`. */
  signal?: AbortSignal;
  log?: PipelineLog;
  /** Called once the run id is known, before any training (the local server shows it while the run trains). */
  onRunId?(runId: string): void;
  onProgress?(event: TrainProgressEvent): void;
}

export interface TrainDatasetOutcome {
  runId: string;
  status: 'published' | 'already-published' | 'interrupted';
  /** Steps trained so far (absent when nothing was trained in this call). */
  steps?: number;
}

/**
 * Trains on the current dataset and publishes the model. The run id follows from the data and the settings, so
 * calling it again after an interruption resumes from `checkpoints/<runId>/`, after a crash before publishing it
 * publishes what was trained, and after success it only makes sure `models/latest.json` names the run.
 *
 * @example
 * const outcome = await trainDataset({ store, tokenizer: 'performance', shape, hyperparameters, minutes: 30, engine: 'auto' });
 */
export async function trainDataset(options: TrainDatasetOptions): Promise<TrainDatasetOutcome> {
  const { store, tokenizer, hyperparameters, minutes } = options;
  const log = options.log ?? silentLog;
  const dataset = await loadDataset(store, keys.datasetPrefix(tokenizer));
  const shape: ModelShape = { ...options.shape, vocabSize: dataset.tokenizer.vocabSize };
  const runId = runIdFor(dataset.digest, { tokenizer, shape, hyperparameters, minutes, maxSteps: options.maxSteps ?? null });
  options.onRunId?.(runId);
  log.info('training run', { runId, dataDigest: dataset.digest, files: dataset.entries.length, shape, minutes });

  const staging = keys.checkpointPrefix(runId);
  if (await store.head(keys.modelPrefix(runId) + modelFileNames.manifest)) {
    // Published before, perhaps cut short before the pointer or the clean-up: finish both.
    const latest = await getJson<LatestPointer>(store, keys.latest);
    if (latest?.runId !== runId) await pointLatestAt(store, runId);
    await removeStaging(store, staging);
    log.info('run already published', { runId });
    return { runId, status: 'already-published' };
  }
  let steps: number | undefined;
  // A model already staged means the trainer finished and the publish step was cut short.
  if (!(await store.head(staging + modelFileNames.manifest))) {
    const summary = await trainModel({
      dataset,
      store,
      prefix: staging,
      shape,
      hyperparameters,
      minutes,
      ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
      engine: options.engine,
      resume: true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      log: (line) => log.info(line, { runId }),
    });
    steps = summary.steps;
    if (summary.stoppedBy === 'signal') {
      log.info('run interrupted; checkpoint saved', { runId, steps });
      return { runId, status: 'interrupted', steps };
    }
  }
  const pointer = await publishModel(store, runId, staging);
  log.info('model published', { runId, steps, publishedAt: pointer.publishedAt });
  return { runId, status: 'published', ...(steps !== undefined ? { steps } : {}) };
}
