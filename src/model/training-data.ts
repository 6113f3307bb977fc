import { NO_AUGMENTATION } from '../dataset/augment.js';
import type { Dataset } from '../dataset/dataset-store.js';
import { applySplit, type DatasetSplit } from '../dataset/split.js';
import { randomWindows, streamWindows, type BatchSource, type WindowCursor } from '../dataset/windows.js';
import type { Tokenizer } from '../tokens/tokenizer.js';
import type { TrainHyperparameters } from './hyperparameters.js';

/** The stored split the trainer honours (`split.json` of a preprocess folder). */
export type StoredSplit = Pick<DatasetSplit, 'train' | 'validation' | 'validationFraction'>;

export interface TrainingData {
  tokenizer: Tokenizer;
  train: Uint16Array[];
  /** Validation sequences (chunks of the validation files), capped at `validationMaxEvents`. */
  validation: Uint16Array[];
  trainEvents: number;
  validationEvents: number;
  createBatches(cursor: WindowCursor | undefined): BatchSource;
}

/**
 * Token sequences of the training and validation files, by the stored split or else the dataset layer's piece-aware
 * hash; files shorter than two events are left out, and a dataset whose split leaves no validation file lends one.
 */
export function splitTrainValidation(dataset: Dataset, split?: StoredSplit): { train: Uint16Array[]; validation: Uint16Array[] } {
  const sides = applySplit(
    dataset.entries.filter((entry) => entry.tokens.length >= 2),
    split,
  );
  const train = sides.train.map((entry) => entry.tokens);
  const validation = sides.validation.map((entry) => entry.tokens);
  if (train.length === 0) throw new RangeError('the dataset has no training files with at least two events');
  if (validation.length === 0) validation.push(train.pop()!);
  return { train, validation };
}

/** The split, validation chunks for the trainer, and the batch source over the training files. */
export function prepareTrainingData(dataset: Dataset, hp: TrainHyperparameters, split?: StoredSplit): TrainingData {
  const { train, validation: validationFiles } = splitTrainValidation(dataset, split);
  // Whole files would leave most batch rows empty (few, long files); chunks of 16 windows fill them, at the cost of a
  // zero state at each chunk start — the same for every validation, so comparisons between steps stay fair.
  const chunkEvents = 16 * hp.steps;
  const validation: Uint16Array[] = [];
  let validationEvents = 0;
  for (const tokens of validationFiles) {
    for (let start = 0; start + 1 < tokens.length && validationEvents < hp.validationMaxEvents; start += chunkEvents) {
      const events = Math.min(chunkEvents, tokens.length - 1 - start, hp.validationMaxEvents - validationEvents);
      validation.push(tokens.subarray(start, start + events + 1));
      validationEvents += events;
    }
  }
  const windowOptions = {
    batchSize: hp.batchSize,
    steps: hp.steps,
    seed: hp.seed,
    // Augmentation rewrites performance ids; other vocabularies train on the data as it is.
    augment: dataset.tokenizer.name === 'performance' ? hp.augment : NO_AUGMENTATION,
  };
  return {
    tokenizer: dataset.tokenizer,
    train,
    validation,
    trainEvents: train.reduce((sum, tokens) => sum + tokens.length, 0),
    validationEvents,
    createBatches: (cursor) => (hp.carryState ? streamWindows : randomWindows)(train, windowOptions, cursor),
  };
}
