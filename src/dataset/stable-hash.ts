import { createHash } from 'node:crypto';

/**
 * A number in [0, 1) fixed by `key` alone (the first 32 bits of its sha256), the same on every machine and run.
 * @example stableFraction('Bach: Fugue_bwv_846') < 0.1 // in the validation set?
 */
export function stableFraction(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 4294967296;
}

/**
 * A uint32 fixed by a few integers (murmur3's finaliser over each): counter-based randomness, so the numbers drawn at
 * any batch are a pure function of (seed, step, row, …) and resuming needs only the step, not a generator's state.
 * @example mixUint32(seed, step, row) % fileCount
 */
export function mixUint32(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part >>> 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    hash = (hash + 0x6a09e667) >>> 0;
  }
  return hash >>> 0;
}

/** Uniform integer in [0, bound) from the integers `parts` (see {@link mixUint32}). */
export function mixInt(bound: number, ...parts: number[]): number {
  return Math.floor((mixUint32(...parts) / 4294967296) * bound);
}
