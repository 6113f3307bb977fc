import { augment, NO_AUGMENTATION, type AugmentOptions } from './augment.js';
import { mixInt } from './stable-hash.js';

/** Training windows, laid out as the model engines' `Batch`: `inputs[b*steps + t]` predicts `targets[b*steps + t]`. */
export interface Batch {
  inputs: Int32Array;
  targets: Int32Array;
  batchSize: number;
  steps: number;
  /** Extra inputs per position, `[(b*steps + t) * width …]`, when the model takes controls. */
  controls?: Float32Array;
}

/** Which file each stretch `[start, end)` of an epoch's joined stream came from. */
export interface StreamPart {
  file: number;
  start: number;
  end: number;
}

/** Fills the extra inputs (controls) of stream windows; see `src/model/controls/stream-controls.ts`. */
export interface StreamControlWriter {
  /** Floats per position. */
  readonly width: number;
  /** A new epoch's stream (augmented, joined) and where each file lies in it. */
  startEpoch(stream: Uint16Array, parts: readonly StreamPart[]): void;
  /** Writes positions `start … start + steps − 1` of the stream to `out` from `offset` (zeroed already). */
  writeRow(start: number, steps: number, out: Float32Array, offset: number, draw: { epoch: number; window: number; row: number }): void;
}

export interface WindowOptions {
  batchSize: number;
  /** Events per window: each row reads `steps + 1` ids (inputs and the targets shifted by one). */
  steps: number;
  seed: number;
  /** Performance tokens only. Default none. */
  augment?: AugmentOptions;
  /** Stream windows only: per-position extra inputs. */
  controls?: StreamControlWriter;
}

/** Where a batch source stands, as plain JSON: hand it back to continue with exactly the batches that came next. */
export type WindowCursor = { kind: 'random'; step: number } | { kind: 'streams'; epoch: number; window: number };

/** An endless, deterministic, resumable sequence of training batches. */
export interface BatchSource {
  next(): Batch;
  cursor(): WindowCursor;
  /** True when the batch last returned continues the rows of the one before (carry the LSTM state); false at starts. */
  readonly continuesPrevious: boolean;
}

/**
 * Independent windows from zero state: each row starts at a position drawn uniformly over every window start of
 * every file, so a file is picked in proportion to its length. Row r of step s depends only on (seed, s, r).
 * @example const source = randomWindows(trainTokens, { batchSize: 32, steps: 128, seed: 1 }); source.next();
 */
export function randomWindows(files: readonly Uint16Array[], options: WindowOptions, cursor?: WindowCursor): BatchSource {
  checkOptions(options);
  if (options.controls) throw new RangeError('controls need stream windows (carryState): random windows do not carry them');
  const { batchSize, steps, seed } = options;
  const usable = files.filter((tokens) => tokens.length > steps);
  // starts[i] = window starts in files before i; a file of n ids has n − steps starts.
  const starts = new Float64Array(usable.length + 1);
  usable.forEach((tokens, i) => (starts[i + 1] = starts[i]! + tokens.length - steps));
  const total = starts[usable.length]!;
  if (total === 0) throw new RangeError(`no file holds the ${steps + 1} ids one window needs`);
  let step = cursorOf(cursor, 'random')?.step ?? 0;
  const batch = emptyBatch(batchSize, steps);
  return {
    continuesPrevious: false,
    next() {
      for (let row = 0; row < batchSize; row++) {
        const position = mixInt(total, seed, step, row);
        const file = lastAtMost(starts, position);
        const tokens = usable[file]!;
        const start = position - starts[file]!;
        fillRow(batch, row, augmentedWindow(tokens, start, steps, options.augment ?? NO_AUGMENTATION, seed, step, row));
      }
      step += 1;
      return batch;
    },
    cursor: () => ({ kind: 'random', step }),
  };
}

/**
 * `batchSize` contiguous streams through the corpus: each epoch shuffles the files (and augments each one), joins
 * them and cuts the result into `batchSize` equal rows; batch k holds window k of every row, so the final LSTM state
 * of one batch is the right initial state of the next while `continuesPrevious` is true (train as you evaluate).
 * @example const source = streamWindows(trainTokens, { batchSize: 32, steps: 128, seed: 1 }, savedCursor);
 */
export function streamWindows(files: readonly Uint16Array[], options: WindowOptions, cursor?: WindowCursor): BatchSource {
  checkOptions(options);
  const { batchSize, steps, seed } = options;
  const total = files.reduce((sum, tokens) => sum + tokens.length, 0);
  if (Math.floor(total / batchSize) < steps + 1) {
    throw new RangeError(`${total} events are too few for ${batchSize} streams of ${steps + 1}-id windows`);
  }
  const position = { ...(cursorOf(cursor, 'streams') ?? { epoch: 0, window: 0 }) };
  let stream = new Uint16Array(0);
  let streamEpoch = -1;
  let continuesPrevious = position.window > 0;
  const batch = emptyBatch(batchSize, steps, options.controls?.width);
  const windowsPerRow = (length: number) => Math.floor((Math.floor(length / batchSize) - 1) / steps);
  const join = (epoch: number) => {
    const order = files.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = mixInt(i + 1, seed, epoch, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const parts = order.map((index) => augment(files[index]!, options.augment ?? NO_AUGMENTATION, seed, epoch, index));
    stream = new Uint16Array(parts.reduce((sum, tokens) => sum + tokens.length, 0));
    const placed: StreamPart[] = [];
    let offset = 0;
    parts.forEach((part, k) => {
      stream.set(part, offset);
      placed.push({ file: order[k]!, start: offset, end: offset + part.length });
      offset += part.length;
    });
    options.controls?.startEpoch(stream, placed);
    streamEpoch = epoch;
  };
  return {
    get continuesPrevious() {
      return continuesPrevious;
    },
    next() {
      if (streamEpoch !== position.epoch) join(position.epoch);
      if (position.window >= windowsPerRow(stream.length)) {
        position.epoch += 1;
        position.window = 0;
        join(position.epoch);
        if (windowsPerRow(stream.length) === 0) throw new RangeError(`epoch ${position.epoch}: augmented data too short for one window per stream`);
      }
      continuesPrevious = position.window > 0;
      const rowLength = Math.floor(stream.length / batchSize);
      batch.controls?.fill(0);
      for (let row = 0; row < batchSize; row++) {
        const start = row * rowLength + position.window * steps;
        fillRow(batch, row, stream.subarray(start, start + steps + 1));
        const draw = { epoch: position.epoch, window: position.window, row };
        options.controls?.writeRow(start, steps, batch.controls!, row * steps * options.controls.width, draw);
      }
      position.window += 1;
      return batch;
    },
    cursor: () => ({ kind: 'streams', ...position }),
  };
}

/** A validation batch and where each row's initial state comes from. */
export interface ValidationBatch {
  batch: Batch;
  /** Per row: `[batchIndex, row]` of an earlier batch whose final state this row continues; undefined for zero state. */
  stateFrom: Array<readonly [number, number] | undefined>;
  /** Per row: the sequence it reads and the position of its first input there (for inputs computed from the events). */
  sources: Array<readonly [sequence: ArrayLike<number>, start: number]>;
}

/**
 * Batches that predict every event of every sequence exactly once (all but each sequence's first id), the state
 * carried through each sequence as the sampler would: sequences longest first in groups of `batchSize`, full windows
 * side by side, then each sequence's shorter tail on its own. Sum the losses × counts for NLL per event.
 * @example for (const { batch, stateFrom } of validationBatches(validationTokens, 32, 128)) …
 */
export function validationBatches(sequences: readonly ArrayLike<number>[], batchSize: number, steps: number): ValidationBatch[] {
  checkOptions({ batchSize, steps, seed: 0 });
  const sorted = sequences.filter((ids) => ids.length > 1).sort((a, b) => b.length - a.length);
  const batches: ValidationBatch[] = [];
  for (let first = 0; first < sorted.length; first += batchSize) {
    const group = sorted.slice(first, first + batchSize);
    const windowsOf = group.map((ids) => Math.floor((ids.length - 1) / steps));
    const lastWindowBatch: number[] = [];
    // Longest first: the sequences with a window w are always a prefix of the group, so row r stays row r.
    for (let window = 0; window < windowsOf[0]!; window++) {
      const rows = windowsOf.filter((windows) => windows > window).length;
      const batch = emptyBatch(rows, steps);
      for (let row = 0; row < rows; row++) {
        fillRow(batch, row, sliceOf(group[row]!, window * steps, steps + 1));
        lastWindowBatch[row] = batches.length;
      }
      const stateFrom = Array.from({ length: rows }, (_, row) => (window > 0 ? ([batches.length - 1, row] as const) : undefined));
      const sources = group.slice(0, rows).map((ids) => [ids, window * steps] as const);
      batches.push({ batch, stateFrom, sources });
    }
    group.forEach((ids, row) => {
      const from = windowsOf[row]! * steps;
      const tail = ids.length - 1 - from;
      if (tail === 0) return;
      const batch = emptyBatch(1, tail);
      fillRow(batch, 0, sliceOf(ids, from, tail + 1));
      batches.push({ batch, stateFrom: [windowsOf[row]! > 0 ? ([lastWindowBatch[row]!, row] as const) : undefined], sources: [[ids, from]] });
    });
  }
  return batches;
}

function augmentedWindow(
  tokens: Uint16Array,
  start: number,
  steps: number,
  options: AugmentOptions,
  seed: number,
  step: number,
  row: number,
): Uint16Array {
  const plain = tokens.subarray(start, start + steps + 1);
  if (options.transpose === 0 && options.stretch === 0) return plain;
  // Compressing time drops TIME_SHIFT ids: augment a longer slice and keep its first steps + 1 ids.
  const augmented = augment(tokens.subarray(start, start + 2 * (steps + 1)), options, seed, step, row);
  return augmented.length > steps ? augmented.subarray(0, steps + 1) : augment(plain, { ...options, stretch: 0 }, seed, step, row);
}

function fillRow(batch: Batch, row: number, ids: ArrayLike<number>): void {
  const offset = row * batch.steps;
  for (let t = 0; t < batch.steps; t++) {
    batch.inputs[offset + t] = ids[t]!;
    batch.targets[offset + t] = ids[t + 1]!;
  }
}

function sliceOf(ids: ArrayLike<number>, start: number, length: number): ArrayLike<number> {
  return Array.prototype.slice.call(ids, start, start + length) as number[];
}

function emptyBatch(batchSize: number, steps: number, controlWidth?: number): Batch {
  const batch: Batch = { inputs: new Int32Array(batchSize * steps), targets: new Int32Array(batchSize * steps), batchSize, steps };
  if (controlWidth) batch.controls = new Float32Array(batchSize * steps * controlWidth);
  return batch;
}

/** Index i of the last `sorted[i] ≤ value`. */
function lastAtMost(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sorted[middle]! <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

function cursorOf<K extends WindowCursor['kind']>(cursor: WindowCursor | undefined, kind: K): Extract<WindowCursor, { kind: K }> | undefined {
  if (cursor === undefined) return undefined;
  if (cursor.kind !== kind) throw new RangeError(`a ${cursor.kind} cursor cannot resume ${kind} batches`);
  return cursor as Extract<WindowCursor, { kind: K }>;
}

function checkOptions({ batchSize, steps }: WindowOptions): void {
  if (!(Number.isInteger(batchSize) && batchSize > 0 && Number.isInteger(steps) && steps > 0)) {
    throw new RangeError(`batchSize and steps must be positive integers, got ${batchSize} and ${steps}`);
  }
}
