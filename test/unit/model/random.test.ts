import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/model/random.js';

describe('SeededRandom', () => {
  it('repeats a sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, (() => { const random = new SeededRandom(seed); return () => random.next(); })());
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('continues exactly from a saved state', () => {
    const random = new SeededRandom(3);
    random.next();
    const resumed = new SeededRandom(random.state);
    expect([resumed.next(), resumed.next()]).toEqual([random.next(), random.next()]);
  });

  it('stays in [0, 1) with a plausible mean', () => {
    const random = new SeededRandom(1);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = random.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });
});
