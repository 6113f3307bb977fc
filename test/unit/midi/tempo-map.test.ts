import { describe, expect, it } from 'vitest';
import { createTempoMap } from '../../../src/midi/tempo-map.js';

describe('createTempoMap', () => {
  it('assumes 120 BPM until the first tempo change', () => {
    const toSeconds = createTempoMap({ kind: 'ppq', ticksPerQuarter: 480 }, []);

    expect([0, 480, 960].map(toSeconds)).toEqual([0, 0.5, 1]);
  });

  it('integrates tempo changes given out of order, the last at one tick winning', () => {
    const toSeconds = createTempoMap({ kind: 'ppq', ticksPerQuarter: 100 }, [
      { tick: 200, microsecondsPerQuarter: 250_000 },
      { tick: 0, microsecondsPerQuarter: 2_000_000 },
      { tick: 0, microsecondsPerQuarter: 1_000_000 },
    ]);

    expect([0, 100, 200, 300].map(toSeconds)).toEqual([0, 1, 2, 2.25]);
  });

  it.each([
    [24, 10, 240],
    [25, 40, 1000],
    [29, 100, 2997],
    [30, 4, 120],
  ])('times SMPTE %i frames/s × %i ticks as %i ticks per second, ignoring tempo', (framesPerSecond, ticksPerFrame, ticksPerSecond) => {
    const toSeconds = createTempoMap({ kind: 'smpte', framesPerSecond, ticksPerFrame }, [{ tick: 0, microsecondsPerQuarter: 1 }]);

    expect(toSeconds(ticksPerSecond * 3)).toBeCloseTo(3, 3);
  });
});
