import { createHash } from 'node:crypto';
import { loadDataset, type Dataset } from '../dataset/dataset-store.js';
import { validOrWarn, warnDamaged } from '../log/damaged-object.js';
import { silentLog, type PipelineLog } from '../log/log.js';
import type { ModelShape } from '../model/config.js';
import type { ControlSpec } from '../model/controls/control-spec.js';
import type { TrainHyperparameters } from '../model/hyperparameters.js';
import { modelManifestSchema, type ModelManifest } from '../model/manifest.js';
import { ModelFilesError, modelFileNames } from '../model/model-files.js';
import { trainModel, type TrainProgressEvent, type TrainRunOptions } from '../model/trainer.js';
import { canTrainControls, prepareTrainingData } from '../model/training-data.js';
import { getJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import { keys } from './keys.js';
import { readLatest } from './latest-pointer.js';
import { promoteIfBetter, type Promotion } from './promotion.js';
import { defaultModelsKept, pruneModels } from './prune-models.js';
import { publishModel, removeStaging, settlePromotion, type Lineage, type PromotionPolicy } from './publish-model.js';
import { runIdFor } from './run-id.js';
import { claimStagedRun, writeStagedRun, type StagedRun } from './staged-runs.js';
import { pickStartFrom, seedFromModel } from './start-from.js';
import { keepLease, type LeaseKeeper } from './lease-keeper.js';
import { acquireTrainerLease } from './trainer-lease.js';

export interface TrainDatasetOptions {
  store: Store;
  tokenizer: TokenizerName;
  /** The vocabulary size comes from the dataset's tokenizer. */
  shape: Omit<ModelShape, 'vocabSize'>;
  hyperparameters: TrainHyperparameters;
  /** Wall-clock budget of the run, earlier sessions included: a stopped run continues until this many minutes in all. */
  minutes: number;
  maxSteps?: number;
  /** Random initial weights, even when a published model has this vocabulary and shape. Default false: fine-tune. */
  fromScratch?: boolean;
  /** An engine choice ('auto' in the container), or an engine the caller owns and reuses across runs. */
  engine: TrainRunOptions['engine'];
  /** Abort → the trainer checkpoints and this resolves `interrupted`. */
  signal?: AbortSignal;
  log?: PipelineLog;
  /** Called once the run id is known, before any training (the local server shows it while the run trains). */
  onRunId?(runId: string): void;
  onProgress?(event: TrainRunEvent): void;
  /** How long the trainer lease outlives its last renewal (renewed every third of it). Default 300 s. */
  leaseSeconds?: number;
  /** Unpromoted models kept after this run publishes (promoted ones and the latest stay). Default {@link defaultModelsKept}. */
  keepModels?: number;
}

/** What a run reports as it goes: the training's progress, then its publication with the promotion decision. */
export type TrainRunEvent = TrainProgressEvent | { kind: 'published'; runId: string; promotion: Promotion };

export type TrainDatasetOutcome =
  | { status: 'published' | 'already-published'; runId: string; promotion: Promotion; steps?: number }
  | { status: 'interrupted'; runId: string; steps?: number }
  /** The lease was lost mid-run (taken over, or not renewed in time): checkpointed, not published, nothing pruned. */
  | { status: 'lease-lost'; runId: string; steps?: number; message: string }
  /** Another trainer holds the bucket's lease: try again after `retryAfterSeconds`; `message` says until when. */
  | { status: 'busy'; retryAfterSeconds: number; message: string };

/** The run a call trains: its id, where it stages, what it starts from. */
interface RunPlan {
  dataset: Dataset;
  shape: ModelShape;
  /** The parent's control vocabulary, kept by a fine-tuned run. */
  controls?: ControlSpec;
  staged: StagedRun;
  staging: string;
}

/**
 * Trains on the current dataset and publishes the model, holding the bucket's trainer lease throughout. A run
 * staged for the same data and settings (stopped, interrupted, or crashed before publishing) is continued with the
 * budget asked now; other staged runs are orphans and are removed. A new run fine-tunes the latest compatible model
 * unless `fromScratch`. The published run is promoted to `latest` only when it beats the current latest on its own
 * validation events ({@link settlePromotion}). A run that loses the lease stops at a checkpoint without publishing or
 * pruning: the lease is what keeps trainers from deleting each other's checkpoints.
 *
 * @example
 * const outcome = await trainDataset({ store, tokenizer: 'performance', shape, hyperparameters, minutes: 30, engine: 'auto' });
 */
export async function trainDataset(options: TrainDatasetOptions): Promise<TrainDatasetOutcome> {
  const log = options.log ?? silentLog;
  const ttlSeconds = options.leaseSeconds ?? 300;
  const lease = await acquireTrainerLease(options.store, { ttlSeconds, expectedEndAt: new Date(Date.now() + options.minutes * 60_000) });
  if (!('renew' in lease)) {
    log.warn(lease.message, { retryAfterSeconds: lease.retryAfterSeconds, expiresAt: lease.expiresAt });
    return { status: 'busy', retryAfterSeconds: lease.retryAfterSeconds, message: lease.message };
  }
  const keeper = keepLease(lease, { ttlSeconds, log });
  try {
    const plan = await planRun(options, log);
    options.onRunId?.(plan.staged.runId);
    return await trainAndPublish(options, plan, keeper, log);
  } finally {
    keeper.stop();
    await lease.release();
  }
}

/** Loads the data and finds the run to continue, or stages a new one (with its parent's weights when fine-tuning). */
async function planRun(options: TrainDatasetOptions, log: PipelineLog): Promise<RunPlan> {
  const { store, tokenizer, hyperparameters } = options;
  const dataset = await loadDataset(store, keys.datasetPrefix(tokenizer), (damage) => warnDamaged(log, damage, 'training without this file'));
  const shape: ModelShape = { ...options.shape, vocabSize: dataset.tokenizer.vocabSize };
  const settings = { tokenizer, shape, hyperparameters, maxSteps: options.maxSteps ?? null, fromScratch: options.fromScratch ?? false };
  const settingsKey = createHash('sha256').update(JSON.stringify({ dataDigest: dataset.digest, settings })).digest('hex');
  const resumable = await claimStagedRun(store, settingsKey, log);
  if (resumable) {
    log.info('continuing a staged run', { runId: resumable.runId, minutes: options.minutes, startedFrom: resumable.startedFrom });
    const controls = await parentControls(store, resumable.startedFrom);
    return { dataset, shape, staged: resumable, staging: keys.checkpointPrefix(resumable.runId), ...(controls ? { controls } : {}) };
  }
  const runId = runIdFor(dataset.digest, { ...settings, minutes: options.minutes });
  const staging = keys.checkpointPrefix(runId);
  const published = await store.head(keys.modelPrefix(runId) + modelFileNames.manifest);
  const wanted = { tokenizer, shape, controls: hyperparameters.controls === true && canTrainControls(tokenizer, hyperparameters) };
  const startedFrom = published || options.fromScratch ? null : ((await pickStartFrom(store, wanted, log)) ?? null);
  const staged: StagedRun = { schemaVersion: 1, runId, settingsKey, startedFrom, createdAt: new Date().toISOString() };
  if (!published) {
    if (startedFrom) await seedFromModel(store, runId, startedFrom);
    await writeStagedRun(store, staged);
  }
  log.info('training run', { runId, dataDigest: dataset.digest, files: dataset.entries.length, shape, minutes: options.minutes, startedFrom });
  const controls = await parentControls(store, startedFrom);
  return { dataset, shape, staged, staging, ...(controls ? { controls } : {}) };
}

/** A fine-tuned run trains with its parent's control vocabulary, so the weights keep their meaning. */
async function parentControls(store: Store, startedFrom: string | null): Promise<ControlSpec | undefined> {
  if (!startedFrom) return undefined;
  const read = await getJson(store, keys.modelPrefix(startedFrom) + modelFileNames.manifest, modelManifestSchema);
  if (read.status === 'damaged') throw new ModelFilesError(`${read.key} is damaged (${read.reason}): cannot fine-tune from ${startedFrom}`);
  return read.status === 'valid' ? read.value.controls : undefined;
}

async function trainAndPublish(options: TrainDatasetOptions, plan: RunPlan, keeper: LeaseKeeper, log: PipelineLog): Promise<TrainDatasetOutcome> {
  const { store } = options;
  const { runId } = plan.staged;
  const leaseLost = (steps?: number): TrainDatasetOutcome => {
    const reason = keeper.lost.reason instanceof Error ? keeper.lost.reason.message : 'the trainer lease was lost';
    const message = `${reason}; the checkpoint is kept, nothing was published`;
    log.warn(message, { runId, steps });
    return { status: 'lease-lost', runId, message, ...(steps !== undefined ? { steps } : {}) };
  };
  // Only the validation files are needed here: no control vocabulary to derive.
  const validation = prepareTrainingData(plan.dataset, { ...options.hyperparameters, controls: false }).validation;
  const policy = promoteIfBetter(store, validation, log);
  // A damaged published manifest counts as none: the run is published again over it.
  const publishedManifest = validOrWarn(await getJson(store, keys.modelPrefix(runId) + modelFileNames.manifest, modelManifestSchema), log, 'publishing the run again');
  if (publishedManifest) {
    if (!(await keeper.confirm())) return leaseLost();
    const promotion = await finishPublished(store, runId, publishedManifest, policy, log);
    options.onProgress?.({ kind: 'published', runId, promotion });
    await removeStaging(store, plan.staging);
    log.info('run already published', { runId });
    return { status: 'already-published', runId, promotion };
  }
  let steps: number | undefined;
  // A model already staged means the trainer finished and the publish step was cut short.
  if (!(await store.head(plan.staging + modelFileNames.manifest))) {
    const summary = await trainModel({
      dataset: plan.dataset,
      store,
      prefix: plan.staging,
      shape: plan.shape,
      hyperparameters: options.hyperparameters,
      ...(plan.controls ? { controls: plan.controls } : {}),
      minutes: options.minutes,
      ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
      engine: options.engine,
      resume: true,
      signal: options.signal ? AbortSignal.any([options.signal, keeper.lost]) : keeper.lost,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      log: (line) => log.info(line, { runId }),
    });
    steps = summary.steps;
    if (keeper.lost.aborted) return leaseLost(steps);
    if (summary.stoppedBy === 'signal') {
      log.info('run interrupted; checkpoint saved', { runId, steps });
      return { status: 'interrupted', runId, steps };
    }
  }
  const lineage: Lineage = {
    startedFrom: plan.staged.startedFrom,
    data: { files: plan.dataset.entries.length, events: plan.dataset.entries.reduce((sum, entry) => sum + entry.tokens.length, 0) },
  };
  if (!(await keeper.confirm())) return leaseLost(steps);
  const { promotion } = await publishModel(store, { runId, stagingPrefix: plan.staging, policy, lineage, log });
  options.onProgress?.({ kind: 'published', runId, promotion });
  await pruneModels(store, { keep: options.keepModels ?? defaultModelsKept, log });
  return { status: 'published', runId, promotion, ...(steps !== undefined ? { steps } : {}) };
}

/**
 * A run published before, perhaps cut short before the pointer: when its decision was (or would be) to promote and
 * the pointer names another run, decide again against the current latest.
 */
async function finishPublished(store: Store, runId: string, manifest: ModelManifest, policy: PromotionPolicy, log: PipelineLog): Promise<Promotion> {
  const { pointer } = await readLatest(store, log);
  if (pointer?.runId === runId) return manifest.promotion ?? { promoted: true, reason: 'promoted: it is the latest model' };
  if (manifest.promotion && !manifest.promotion.promoted) return manifest.promotion;
  return (await settlePromotion(store, runId, manifest, policy, log)).promotion;
}
