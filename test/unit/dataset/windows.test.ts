import { describe, expect, it } from 'vitest';
import { randomWindows, streamWindows, validationBatches, type BatchSource, type WindowCursor } from '../../../src/dataset/windows.js';

/** Files whose ids say where they come from: file f, position p → f * 1000 + p (mod 65536 is never reached). */
const files = [50, 300, 120, 999, 7, 400].map((length, f) => Uint16Array.from({ length }, (_, p) => f * 1000 + p));
const options = { batchSize: 4, steps: 16, seed: 7 };

const take = (source: BatchSource, count: number) =>
  Array.from({ length: count }, () => {
    const batch = source.next();
    return { inputs: Array.from(batch.inputs), targets: Array.from(batch.targets), continues: source.continuesPrevious };
  });

describe.each([
  ['randomWindows', randomWindows],
  ['streamWindows', streamWindows],
])('%s', (_, create) => {
  it('fills batchSize × steps inputs whose targets are the next ids', () => {
    const batch = create(files, options).next();

    expect(batch.inputs).toHaveLength(64);
    expect(batch.targets).toHaveLength(64);
    for (let row = 0; row < 4; row++) {
      for (let t = 0; t + 1 < 16; t++) expect(batch.targets[row * 16 + t]).toBe(batch.inputs[row * 16 + t + 1]);
    }
  });

  it('gives the same batches for the same seed and others for another seed', () => {
    expect(take(create(files, options), 30)).toEqual(take(create(files, options), 30));
    expect(take(create(files, { ...options, seed: 8 }), 30)).not.toEqual(take(create(files, options), 30));
  });

  it('resumes from a JSON cursor with exactly the batches that came next', () => {
    const source = create(files, options);
    take(source, 37);
    const cursor = JSON.parse(JSON.stringify(source.cursor())) as WindowCursor;
    const expected = take(source, 40);

    expect(take(create(files, options, cursor), 40)).toEqual(expected);
  });
});

describe('randomWindows', () => {
  it('draws each window from inside one file, files in proportion to their length', () => {
    const source = randomWindows(files, { ...options, batchSize: 64 });
    const fileCounts = new Map<number, number>();

    for (let step = 0; step < 50; step++) {
      const { inputs, targets } = source.next();
      for (let row = 0; row < 64; row++) {
        const first = inputs[row * 16]!;
        const last = targets[row * 16 + 15]!;
        expect(last - first).toBe(16); // contiguous, so never across a file boundary
        fileCounts.set(Math.floor(first / 1000), (fileCounts.get(Math.floor(first / 1000)) ?? 0) + 1);
      }
    }

    expect(fileCounts.has(4)).toBe(false); // 7 ids: too short for a window
    expect(fileCounts.get(3)!).toBeGreaterThan(fileCounts.get(0)! * 5);
  });
});

describe('streamWindows', () => {
  it('continues each row from one batch to the next within an epoch, and marks the restarts', () => {
    const source = streamWindows(files, options);
    const first = source.next();
    const firstTargets = Array.from(first.targets);
    expect(source.continuesPrevious).toBe(false);
    const second = source.next();

    expect(source.continuesPrevious).toBe(true);
    for (let row = 0; row < 4; row++) expect(second.inputs[row * 16]).toBe(firstTargets[row * 16 + 15]);
  });

  it('visits each id of the corpus about once per epoch', () => {
    const total = files.reduce((sum, tokens) => sum + tokens.length, 0);
    const windowsPerEpoch = Math.floor((Math.floor(total / 4) - 1) / 16);
    const source = streamWindows(files, options);
    const seen = new Set<number>();

    for (let i = 0; i < windowsPerEpoch; i++) for (const id of source.next().inputs) seen.add(id);

    expect(seen.size).toBe(windowsPerEpoch * 64);
    expect(source.cursor()).toEqual({ kind: 'streams', epoch: 0, window: windowsPerEpoch });
    source.next();
    expect(source.cursor()).toEqual({ kind: 'streams', epoch: 1, window: 1 });
    expect(source.continuesPrevious).toBe(false);
  });

  it('refuses a cursor of the other kind', () => {
    expect(() => streamWindows(files, options, { kind: 'random', step: 3 })).toThrow(RangeError);
  });
});

describe('validationBatches', () => {
  it('predicts every event after the first of every sequence exactly once, with the state carried', () => {
    const predicted = new Map<number, number>();

    const batches = validationBatches(files, 4, 16);

    for (const { batch, stateFrom } of batches) {
      expect(stateFrom).toHaveLength(batch.batchSize);
      for (let row = 0; row < batch.batchSize; row++) {
        const from = stateFrom[row];
        if (from) {
          const [index, fromRow] = from;
          const previous = batches[index]!.batch;
          // The row continues where the referenced row stopped.
          expect(batch.inputs[row * batch.steps]).toBe(previous.targets[fromRow * previous.steps + previous.steps - 1]);
        } else {
          expect(batch.inputs[row * batch.steps]! % 1000).toBe(0);
        }
      }
      for (const id of batch.targets) predicted.set(id, (predicted.get(id) ?? 0) + 1);
    }

    const expected = files.flatMap((tokens) => Array.from(tokens.subarray(1)));
    expect(predicted.size).toBe(expected.length);
    expect([...predicted.values()].every((count) => count === 1)).toBe(true);
  });
});
