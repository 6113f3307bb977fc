import type { DatasetEntryMeta } from '../dataset/entry.js';
import type { Tokenizer } from '../tokens/tokenizer.js';
import type { Batch } from './engine/engine.js';
import type { TrainHyperparameters } from './hyperparameters.js';
import { SeededRandom } from './random.js';

/** What the trainer needs of a loaded dataset (the dataset layer's `Dataset`). */
export interface TrainingDataset {
  tokenizer: Tokenizer;
  entries: ReadonlyArray<{ meta: DatasetEntryMeta; tokens: Uint16Array }>;
  digest: string;
  vocabulary?: unknown;
}

/** An endless, resumable sequence of training batches. */
export interface BatchSource {
  next(): Batch;
  /** JSON position: `createBatches(cursor)` continues with exactly the batches that would have come next. */
  cursor(): unknown;
}

export interface TrainingData {
  tokenizer: Tokenizer;
  train: Uint16Array[];
  /** Validation sequences (chunks of the validation files), capped at `validationMaxEvents`. */
  validation: Uint16Array[];
  trainEvents: number;
  validationEvents: number;
  createBatches(cursor: unknown): BatchSource;
}

/**
 * Token sequences of the training and validation files: a stable hash of the piece (or digest) sends ~5 % of pieces
 * to validation, so all performances of one piece land on the same side. Files shorter than two events are left out.
 */
export function splitTrainValidation(dataset: TrainingDataset): { train: Uint16Array[]; validation: Uint16Array[] } {
  const train: Uint16Array[] = [];
  const validation: Uint16Array[] = [];
  for (const entry of dataset.entries) {
    if (entry.tokens.length < 2) continue;
    (isValidation(entry.meta.piece ?? entry.meta.digest) ? validation : train).push(entry.tokens);
  }
  if (train.length === 0) throw new RangeError('the dataset has no training files with at least two events');
  if (validation.length === 0) validation.push(train.pop()!);
  return { train, validation };
}

/** The split, validation chunks for the trainer, and the batch source over the training files. */
export function prepareTrainingData(dataset: TrainingDataset, hp: TrainHyperparameters): TrainingData {
  const { train, validation: validationAll } = splitTrainValidation(dataset);
  // Whole files would leave most batch rows empty (few, long files); chunks of 16 windows fill them, at the cost of a
  // zero state at each chunk start — the same for every validation, so comparisons between steps stay fair.
  const chunkEvents = 16 * hp.steps;
  const validation: Uint16Array[] = [];
  let validationEvents = 0;
  for (const tokens of validationAll) {
    for (let start = 0; start + 1 < tokens.length && validationEvents < hp.validationMaxEvents; start += chunkEvents) {
      const events = Math.min(chunkEvents, tokens.length - 1 - start, hp.validationMaxEvents - validationEvents);
      validation.push(tokens.subarray(start, start + events + 1));
      validationEvents += events;
    }
  }
  if (hp.augment.stretch > 0) throw new RangeError('augment.stretch: time-stretch augmentation is not supported by these batches yet; use 0');
  const transposable = dataset.tokenizer.name === 'performance' ? hp.augment.transpose : 0;
  return {
    tokenizer: dataset.tokenizer,
    train,
    validation,
    trainEvents: train.reduce((sum, tokens) => sum + tokens.length, 0),
    validationEvents,
    createBatches: (cursor) =>
      hp.carryState
        ? new StreamBatches(train, hp.batchSize, hp.steps, hp.seed, transposable, cursor as StreamCursor | undefined)
        : new RandomWindowBatches(train, hp.batchSize, hp.steps, hp.seed, transposable, cursor as RandomCursor | undefined),
  };
}

interface StreamCursor {
  epoch: number;
  window: number;
}

interface RandomCursor {
  random: number[];
}

/**
 * Stateful streams: each epoch shuffles the files, joins them and cuts the result into `batchSize` equal rows; batch
 * k holds window k of every row, so the final state of one batch is the right initial state of the next.
 */
class StreamBatches implements BatchSource {
  private stream = new Uint16Array(0);
  private streamEpoch = -1;
  private readonly batch: Batch;
  private position: StreamCursor;

  constructor(
    private readonly files: Uint16Array[],
    private readonly batchSize: number,
    private readonly steps: number,
    private readonly seed: number,
    private readonly transpose: number,
    cursor: StreamCursor | undefined,
  ) {
    this.position = cursor ? { ...cursor } : { epoch: 0, window: 0 };
    this.batch = { inputs: new Int32Array(batchSize * steps), targets: new Int32Array(batchSize * steps), batchSize, steps };
    const total = files.reduce((sum, tokens) => sum + tokens.length, 0);
    if (Math.floor(total / batchSize) < steps + 1) {
      throw new RangeError(`${total} training events are too few for ${batchSize} streams of ${steps}-event windows`);
    }
  }

  next(): Batch {
    if (this.streamEpoch !== this.position.epoch) this.joinEpoch();
    const rowLength = Math.floor(this.stream.length / this.batchSize);
    const windows = Math.floor((rowLength - 1) / this.steps);
    const { inputs, targets } = this.batch;
    const random = new SeededRandom(mix(this.seed, this.position.epoch, this.position.window));
    for (let row = 0; row < this.batchSize; row++) {
      const start = row * rowLength + this.position.window * this.steps;
      copyWindow(this.stream, start, this.steps, inputs, targets, row, transposition(random, this.transpose));
    }
    this.position.window += 1;
    if (this.position.window === windows) this.position = { epoch: this.position.epoch + 1, window: 0 };
    delete this.batch.initialState;
    return this.batch;
  }

  cursor(): StreamCursor {
    return { ...this.position };
  }

  private joinEpoch(): void {
    const order = this.files.map((_, i) => i);
    const random = new SeededRandom(mix(this.seed, this.position.epoch, -1));
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.nextInt(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    if (this.stream.length === 0) this.stream = new Uint16Array(this.files.reduce((sum, tokens) => sum + tokens.length, 0));
    let offset = 0;
    for (const index of order) {
      this.stream.set(this.files[index]!, offset);
      offset += this.files[index]!.length;
    }
    this.streamEpoch = this.position.epoch;
  }
}

/** Independent windows from zero state, each starting at a uniformly random event of the joined files. */
class RandomWindowBatches implements BatchSource {
  private readonly stream: Uint16Array;
  private readonly random: SeededRandom;
  private readonly batch: Batch;

  constructor(
    files: Uint16Array[],
    private readonly batchSize: number,
    private readonly steps: number,
    seed: number,
    private readonly transpose: number,
    cursor: RandomCursor | undefined,
  ) {
    this.stream = new Uint16Array(files.reduce((sum, tokens) => sum + tokens.length, 0));
    let offset = 0;
    for (const tokens of files) {
      this.stream.set(tokens, offset);
      offset += tokens.length;
    }
    if (this.stream.length < steps + 1) throw new RangeError(`${this.stream.length} training events are too few for ${steps}-event windows`);
    this.random = new SeededRandom(cursor ? cursor.random : seed);
    this.batch = { inputs: new Int32Array(batchSize * steps), targets: new Int32Array(batchSize * steps), batchSize, steps };
  }

  next(): Batch {
    for (let row = 0; row < this.batchSize; row++) {
      const start = this.random.nextInt(this.stream.length - this.steps);
      copyWindow(this.stream, start, this.steps, this.batch.inputs, this.batch.targets, row, transposition(this.random, this.transpose));
    }
    return this.batch;
  }

  cursor(): RandomCursor {
    return { random: this.random.state };
  }
}

function transposition(random: SeededRandom, range: number): number {
  return range === 0 ? 0 : random.nextInt(2 * range + 1) - range;
}

/** Copies one window into row `row`, moving NOTE_ON/NOTE_OFF ids (0–255) by `shift` semitones where they stay in range. */
function copyWindow(stream: Uint16Array, start: number, steps: number, inputs: Int32Array, targets: Int32Array, row: number, shift: number): void {
  for (let t = 0; t <= steps; t++) {
    let id = stream[start + t]!;
    if (shift !== 0 && id < 256) {
      const pitch = (id & 127) + shift;
      if (pitch >= 0 && pitch < 128) id = (id & 128) | pitch;
    }
    if (t < steps) inputs[row * steps + t] = id;
    if (t > 0) targets[row * steps + t - 1] = id;
  }
}

function mix(seed: number, epoch: number, window: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(epoch + 1, 0x165667b1) ^ Math.imul(window + 2, 0x9e3779b1)) >>> 0;
}

/** About one key in twenty goes to validation, decided by a stable FNV-1a hash of the key. */
function isValidation(key: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash % 20 === 0;
}
