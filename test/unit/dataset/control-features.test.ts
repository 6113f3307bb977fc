import { describe, expect, it } from 'vitest';
import { forEachWindow, type WindowFeatures } from '../../../src/dataset/control-features.js';
import { performanceIds as ids } from '../../../src/tokens/performance-ids.js';

/** Features at every position, copied (the visitor's object is reused). */
function featuresOf(tokens: number[], windowSeconds: number): Array<Omit<WindowFeatures, 'pitchClassCounts'> & { pitchClasses: number[] }> {
  const out: Array<Omit<WindowFeatures, 'pitchClassCounts'> & { pitchClasses: number[] }> = [];
  forEachWindow(tokens, 0, tokens.length, tokens.length, windowSeconds, (position, features) => {
    out[position] = { notesPerSecond: features.notesPerSecond, meanVelocity: features.meanVelocity, notes: features.notes, pitchClasses: Array.from(features.pitchClassCounts) };
  });
  return out;
}

describe('forEachWindow', () => {
  // Velocity bin 15 = MIDI 63, then C4 E4 G4 one second apart, a louder bin 30 (= 123) and C5, then 6 s of silence and D4.
  const tokens = [
    ids.velocity(15), ids.noteOn(60), ids.timeShift(100), ids.noteOn(64), ids.timeShift(100), ids.noteOn(67), ids.timeShift(100),
    ids.velocity(30), ids.noteOn(72), ids.timeShift(100), ids.noteOff(60), ids.timeShift(100), ids.timeShift(100),
    ids.timeShift(100), ids.timeShift(100), ids.timeShift(100), ids.timeShift(100), ids.noteOn(62),
  ];

  it('counts the notes, pitch classes and velocity of the next window from each position', () => {
    const features = featuresOf(tokens, 5);

    // From the first event, the 5 s window holds C4, E4, G4 (63) and C5 (123).
    expect(features[0]).toMatchObject({ notes: 4, notesPerSecond: 4 / 5, meanVelocity: (3 * 63 + 123) / 4 });
    expect(features[0]!.pitchClasses).toEqual([2, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
    // From E4's onset the window ends before D4, 8 s later.
    expect(features[3]).toMatchObject({ notes: 3, meanVelocity: (2 * 63 + 123) / 3 });
  });

  it('measures a window that the end of the file cuts short over what remains, but at least one second', () => {
    const features = featuresOf(tokens, 5);

    expect(features[tokens.length - 1]).toMatchObject({ notes: 1, notesPerSecond: 1 });
  });

  it('gives no notes and no velocity for a window of silence', () => {
    const features = featuresOf(tokens, 5);

    expect(features[11]).toMatchObject({ notes: 0, notesPerSecond: 0 });
    expect(features[11]!.meanVelocity).toBeNaN();
  });

  it('agrees with a direct count at every position of a long random sequence', () => {
    const random = [...Array(3000)].map((_, i) => [ids.noteOn(40 + ((i * 7) % 40)), ids.velocity((i * 5) % 32), ids.timeShift(1 + ((i * 13) % 60)), ids.noteOff(40 + ((i * 7) % 40))][i % 4]!);
    const features = featuresOf(random, 2);

    const direct = (position: number) => {
      let elapsed = 0;
      let notes = 0;
      for (let i = position; i < random.length && elapsed < 200; i++) {
        const id = random[i]!;
        if (id < 128) notes++;
        else if (id >= 256 && id < 356) elapsed += id - 255;
      }
      return notes;
    };
    for (let position = 0; position < random.length; position += 37) expect(features[position]!.notes).toBe(direct(position));
  });
});
