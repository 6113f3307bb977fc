/**
 * A small seeded PRNG (xoshiro128**) whose whole state is four uint32s, so training and sampling can be resumed and
 * replayed exactly: same seed → same numbers on every platform.
 *
 * @example
 * const random = new SeededRandom(42);
 * const x = random.next(); // in [0, 1)
 */
export class SeededRandom {
  private readonly words = new Uint32Array(4);

  constructor(seed: number | readonly number[]) {
    if (typeof seed === 'number') {
      // splitmix32 spreads one seed over the four words; a zero state would be stuck at zero.
      let x = seed >>> 0;
      for (let i = 0; i < 4; i++) {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        this.words[i] = (z ^ (z >>> 16)) >>> 0;
      }
      if (this.words.every((word) => word === 0)) this.words[0] = 1;
    } else {
      if (seed.length !== 4) throw new RangeError(`a SeededRandom state has 4 words, got ${seed.length}`);
      this.words.set(seed);
    }
  }

  /** The state to store in a checkpoint; `new SeededRandom(state)` continues the same sequence. */
  get state(): number[] {
    return Array.from(this.words);
  }

  /** Next uint32. */
  nextUint32(): number {
    const s = this.words;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
