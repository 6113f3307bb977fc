import { NO_AUGMENTATION } from '../dataset/augment.js';
import type { Dataset } from '../dataset/dataset-store.js';
import { applySplit, type DatasetSplit } from '../dataset/split.js';
import { randomWindows, streamWindows, type BatchSource, type WindowCursor } from '../dataset/windows.js';
import type { Tokenizer, TokenizerName } from '../tokens/tokenizer.js';
import type { ControlSpec } from './controls/control-spec.js';
import { deriveControlSpec } from './controls/derive-control-spec.js';
import { keyboardSpec } from './controls/keyboard-input.js';
import { streamControls } from './controls/stream-controls.js';
import type { TrainHyperparameters } from './hyperparameters.js';

/** The stored split the trainer honours (`split.json` of a preprocess folder). */
export type StoredSplit = Pick<DatasetSplit, 'train' | 'validation' | 'validationFraction'>;

/** The dataset holds nothing to train on (no file of two events or more): retrying on the same data cannot help. */
export class TooLittleDataError extends Error {
  override readonly name = 'TooLittleDataError';
}

/** Training and validation files, and whether validation is held out from training. */
export interface TrainValidationFiles {
  train: Uint16Array[];
  validation: Uint16Array[];
  /** False when validation runs on files the model also trains on (a dataset too small to hold any out). */
  validationHeldOut: boolean;
  /** Why the files differ from the stored split, for the run's log; empty when they follow it. */
  notes: string[];
}

export interface TrainingData {
  tokenizer: Tokenizer;
  /** The run's hyperparameters, batch size and window shrunk when the training data cannot fill one batch. */
  hyperparameters: TrainHyperparameters;
  train: Uint16Array[];
  /** Validation sequences (chunks of the validation files), capped at `validationMaxEvents`. */
  validation: Uint16Array[];
  validationHeldOut: boolean;
  trainEvents: number;
  validationEvents: number;
  /** Every way the data or settings differ from what was asked, one log line each. */
  notes: string[];
  /** The control vocabulary when the model takes controls (derived from the training files). */
  controls?: ControlSpec;
  createBatches(cursor: WindowCursor | undefined): BatchSource;
}

/**
 * Token sequences of the training and validation files, by the stored split or else the dataset layer's piece-aware
 * hash; files shorter than two events are left out. `fills(train)` says whether training files can fill one batch:
 * when the train side cannot, every file trains and validates (not held out); when the validation side is empty, one
 * training file is lent to it if training can spare it, else validation runs on the training files.
 *
 * @example const { train, validation, validationHeldOut } = splitTrainValidation(dataset, split);
 */
export function splitTrainValidation(
  dataset: Dataset,
  split?: StoredSplit,
  fills: (train: readonly Uint16Array[]) => boolean = (train) => train.length > 0,
): TrainValidationFiles {
  const usable = dataset.entries.filter((entry) => entry.tokens.length >= 2);
  if (usable.length === 0) throw new TooLittleDataError(`none of the dataset's ${dataset.entries.length} files holds two events or more`);
  const sides = applySplit(usable, split);
  const train = sides.train.map((entry) => entry.tokens);
  const validation = sides.validation.map((entry) => entry.tokens);
  if (train.length === 0 || !fills(train)) {
    const all = usable.map((entry) => entry.tokens);
    const reason = train.length === 0 ? 'the split puts no file on the train side' : `the ${train.length} training files cannot fill one batch`;
    return { train: all, validation: all, validationHeldOut: false, notes: [`${reason}: training on all ${all.length} files and validating on them too (validation is NOT held out)`] };
  }
  if (validation.length > 0) return { train, validation, validationHeldOut: true, notes: [] };
  const spared = train.slice(0, -1);
  if (spared.length > 0 && fills(spared)) {
    return { train: spared, validation: [train.at(-1)!], validationHeldOut: true, notes: ['the split puts no file on the validation side: one training file validates instead'] };
  }
  return { train, validation: train, validationHeldOut: false, notes: ['the split puts no file on the validation side and training cannot spare one: validating on the training files (NOT held out)'] };
}

/**
 * The batch size and window that `train` can fill: the asked ones when it can, else fewer streams, and when even one
 * stream is too short, a shorter window (random windows need one file longer than the window).
 */
export function fitBatch(train: readonly Uint16Array[], hp: Pick<TrainHyperparameters, 'batchSize' | 'steps' | 'carryState' | 'augment'>): { batchSize: number; steps: number } {
  if (!hp.carryState) {
    const longest = Math.max(0, ...train.map((tokens) => tokens.length));
    return { batchSize: hp.batchSize, steps: Math.max(1, Math.min(hp.steps, longest - 1)) };
  }
  // Time stretch can shorten an epoch's stream; size for the shortest it can get.
  const total = Math.floor(train.reduce((sum, tokens) => sum + tokens.length, 0) * (1 - hp.augment.stretch));
  const batchSize = Math.max(1, Math.min(hp.batchSize, Math.floor(total / (hp.steps + 1))));
  return { batchSize, steps: Math.max(1, Math.min(hp.steps, Math.floor(total / batchSize) - 1)) };
}

/** The split, validation chunks for the trainer, and the batch source over the training files. */
export function prepareTrainingData(dataset: Dataset, requested: TrainHyperparameters, split?: StoredSplit, controlSpec?: ControlSpec): TrainingData {
  const fills = (files: readonly Uint16Array[]) => {
    const fitted = fitBatch(files, requested);
    return fitted.batchSize === requested.batchSize && fitted.steps === requested.steps;
  };
  const files = splitTrainValidation(dataset, split, fills);
  const { train } = files;
  const notes = [...files.notes];
  const fitted = fitBatch(train, requested);
  const hp: TrainHyperparameters = { ...requested, ...fitted };
  if (fitted.batchSize !== requested.batchSize || fitted.steps !== requested.steps) {
    notes.push(`the training data is too small for ${requested.batchSize} × ${requested.steps}-event windows: using ${hp.batchSize} × ${hp.steps}`);
  }
  // Whole files would leave most batch rows empty (few, long files); chunks of 16 windows fill them, at the cost of a
  // zero state at each chunk start — the same for every validation, so comparisons between steps stay fair.
  const chunkEvents = 16 * hp.steps;
  const validation: Uint16Array[] = [];
  let validationEvents = 0;
  for (const tokens of files.validation) {
    for (let start = 0; start + 1 < tokens.length && validationEvents < hp.validationMaxEvents; start += chunkEvents) {
      const events = Math.min(chunkEvents, tokens.length - 1 - start, hp.validationMaxEvents - validationEvents);
      validation.push(tokens.subarray(start, start + events + 1));
      validationEvents += events;
    }
  }
  const controls = controlsFor(dataset, train, hp, notes, controlSpec);
  const windowOptions = {
    batchSize: hp.batchSize,
    steps: hp.steps,
    seed: hp.seed,
    // Augmentation rewrites performance ids; other vocabularies train on the data as it is.
    augment: dataset.tokenizer.name === 'performance' ? hp.augment : NO_AUGMENTATION,
    ...(controls ? { controls: streamControls(controls.spec, controls.styleIndexOfFile, hp.seed) } : {}),
  };
  return {
    tokenizer: dataset.tokenizer,
    hyperparameters: hp,
    train,
    validation,
    validationHeldOut: files.validationHeldOut,
    trainEvents: train.reduce((sum, tokens) => sum + tokens.length, 0),
    validationEvents,
    notes,
    ...(controls ? { controls: controls.spec } : {}),
    createBatches: (cursor) => (hp.carryState ? streamWindows : randomWindows)(train, windowOptions, cursor),
  };
}

/** Controls are computed from performance ids and ride on carried-state streams that time stretch would distort. */
export function canTrainControls(tokenizer: TokenizerName, hp: Pick<TrainHyperparameters, 'carryState' | 'augment'>): boolean {
  return tokenizer === 'performance' && hp.carryState && hp.augment.stretch === 0;
}

/**
 * The control vocabulary and each training file's style, when the run asks for controls and can have them: they
 * are computed from performance ids and ride on carried-state streams.
 */
function controlsFor(
  dataset: Dataset,
  train: readonly Uint16Array[],
  hp: TrainHyperparameters,
  notes: string[],
  given?: ControlSpec,
): { spec: ControlSpec; styleIndexOfFile: number[] } | undefined {
  if (!hp.controls) return undefined;
  if (!canTrainControls(dataset.tokenizer.name, hp)) {
    notes.push('controls need performance tokens, carried state and no time stretch: training without controls');
    return undefined;
  }
  const composerOf = new Map(dataset.entries.map((entry) => [entry.tokens, entry.meta.composer]));
  const composers = train.map((tokens) => composerOf.get(tokens));
  const derived = () => deriveControlSpec(train.map((tokens, i) => ({ tokens, ...(composers[i] ? { composer: composers[i] } : {}) })));
  const spec = given ?? (hp.keyboard ? { ...derived(), keyboard: keyboardSpec } : derived());
  return { spec, styleIndexOfFile: composers.map((composer) => (composer ? spec.styles.indexOf(composer) : -1)) };
}
