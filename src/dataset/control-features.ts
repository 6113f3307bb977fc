import { binVelocity, DEFAULT_VELOCITY, NOTE_OFF_BASE, TIME_SHIFT_BASE, VELOCITY_BASE } from '../tokens/performance-ids.js';

/** What the music does in the seconds after one position of a performance token sequence. */
export interface WindowFeatures {
  /** NOTE_ONs per second in the window. */
  notesPerSecond: number;
  /** NOTE_ON count per pitch class (C = 0) in the window. */
  pitchClassCounts: Float64Array;
  /** Mean MIDI velocity of the window's NOTE_ONs; NaN when it holds none. */
  meanVelocity: number;
  notes: number;
}

/**
 * Forward-looking window features at every position `from ≤ p < to` of `tokens`, computed in one sweep (two
 * pointers) and handed to `visit(p, features)`; the `features` object is reused between calls. The window of p
 * holds the events at p and after whose onset lies less than `windowSeconds` after p's, up to `end` (the end of
 * p's file): a window the file cuts short is measured over what remains, but over at least one second, so the
 * last notes of a piece do not read as a burst.
 *
 * @example forEachWindow(tokens, 0, tokens.length, tokens.length, 5, (p, f) => densities[p] = f.notesPerSecond);
 */
export function forEachWindow(
  tokens: ArrayLike<number>,
  from: number,
  to: number,
  end: number,
  windowSeconds: number,
  visit: (position: number, features: WindowFeatures) => void,
): void {
  const windowSteps = Math.round(windowSeconds * 100);
  const features: WindowFeatures = { notesPerSecond: 0, pitchClassCounts: new Float64Array(12), meanVelocity: NaN, notes: 0 };
  const counts = features.pitchClassCounts;
  // The velocity a NOTE_ON at the head gets is the last VELOCITY id before it, possibly before `from`.
  let headVelocity = velocityBefore(tokens, from);
  let tailVelocity = headVelocity;
  let head = from; // first position not yet in the window
  let headTime = 0; // 10 ms steps from `from` to `head`
  let tailTime = 0; // 10 ms steps from `from` to the tail (p)
  let notes = 0;
  let velocitySum = 0;
  for (let position = from; position < to; position++) {
    while (head < end && headTime - tailTime < windowSteps) {
      const id = tokens[head]!;
      if (id < NOTE_OFF_BASE) {
        counts[id % 12]! += 1;
        notes += 1;
        velocitySum += headVelocity;
      } else if (id >= VELOCITY_BASE) headVelocity = binVelocity(id - VELOCITY_BASE);
      else if (id >= TIME_SHIFT_BASE) headTime += id - TIME_SHIFT_BASE + 1;
      head += 1;
    }
    features.notes = notes;
    features.notesPerSecond = notes / (head < end ? windowSeconds : Math.max(1, (headTime - tailTime) / 100));
    features.meanVelocity = notes > 0 ? velocitySum / notes : NaN;
    visit(position, features);
    // The window always holds its own first event (a shift is counted after it), so the tail never passes the head.
    const id = tokens[position]!;
    if (id < NOTE_OFF_BASE) {
      counts[id % 12]! -= 1;
      notes -= 1;
      velocitySum -= tailVelocity;
    } else if (id >= VELOCITY_BASE) tailVelocity = binVelocity(id - VELOCITY_BASE);
    else if (id >= TIME_SHIFT_BASE) tailTime += id - TIME_SHIFT_BASE + 1;
  }
}

/** The velocity the last VELOCITY id before `position` sets, looking back a bounded way (the tokenizer repeats it often). */
function velocityBefore(tokens: ArrayLike<number>, position: number): number {
  for (let i = position - 1; i >= Math.max(0, position - 4096); i--) {
    const id = tokens[i]!;
    if (id >= VELOCITY_BASE) return binVelocity(id - VELOCITY_BASE);
  }
  return DEFAULT_VELOCITY;
}
