import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/model/random.js';
import { excerpt, excerptPlaces } from '../../../src/music/excerpts.js';

const note = (pitch: number, startSeconds: number, endSeconds: number) => ({ pitch, velocity: 64, startSeconds, endSeconds });

describe('excerpt', () => {
  it('keeps the notes starting in the window, moved to 0 and cut at its end', () => {
    const sequence = { notes: [note(60, 5, 12), note(62, 12, 50), note(64, 40, 41), note(65, 42, 43)], totalSeconds: 60 };
    expect(excerpt(sequence, 10, 30)).toEqual({ notes: [note(62, 2, 30)], totalSeconds: 30 });
  });
});

const seeded = (seed: number) => {
  const random = new SeededRandom(seed);
  return () => random.next();
};

describe('excerptPlaces', () => {
  it('spreads excerpts evenly over the files, each file at least once, the same for the same seed', () => {
    const places = excerptPlaces([100, 200, 40], 6, 30, seeded(1));
    expect(places.map((place) => place.file)).toEqual([0, 0, 1, 1, 2, 2]);
    places.forEach(({ file, startSeconds }) => expect(startSeconds).toBeLessThanOrEqual([100, 200, 40][file]! - 30));
    expect(excerptPlaces([100, 200, 40], 6, 30, seeded(1))).toEqual(places);
    expect(excerptPlaces([10], 2, 30, seeded(1))).toEqual([{ file: 0, startSeconds: 0 }, { file: 0, startSeconds: 0 }]);
  });
});
