import { describe, expect, it } from 'vitest';
import { streamWindows } from '../../../../src/dataset/windows.js';
import { controlLayout, type ControlSpec } from '../../../../src/model/controls/control-spec.js';
import { deriveControlSpec } from '../../../../src/model/controls/derive-control-spec.js';
import { keyboardSpec } from '../../../../src/model/controls/keyboard-input.js';
import { streamControls } from '../../../../src/model/controls/stream-controls.js';
import { NOTE_OFF_BASE, performanceIds as ids, TIME_SHIFT_BASE, VELOCITY_BASE } from '../../../../src/tokens/performance-ids.js';

/** A C-major arpeggio at `perSecond` notes a second and one velocity, `count` notes long. */
function file(perSecond: number, velocityBin: number, count = 400): Uint16Array {
  const tokens: number[] = [ids.velocity(velocityBin)];
  for (let i = 0; i < count; i++) tokens.push(ids.noteOn([60, 64, 67][i % 3]!), ids.timeShift(Math.round(100 / perSecond)), ids.noteOff([60, 64, 67][i % 3]!));
  return Uint16Array.from(tokens);
}

describe('streamControls', () => {
  const files = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? file(2, 8) : file(12, 28)));
  const composers = files.map((_, i) => (i % 2 === 0 ? 'Bach' : 'Liszt'));
  const spec: ControlSpec = deriveControlSpec(files.map((tokens, i) => ({ tokens, composer: composers[i]! })));
  const layout = controlLayout(spec);

  it('derives the composers with enough files, dynamics edges between the corpus’s velocities and a C-major profile', () => {
    const few = deriveControlSpec(files.map((tokens, i) => ({ tokens, composer: composers[i]! })).slice(0, 9));

    expect(spec.styles).toEqual(['Bach', 'Liszt']);
    expect(few.styles).toEqual(['Bach']);
    expect(spec.dynamicsEdges[0]).toBeGreaterThanOrEqual(35);
    expect(spec.dynamicsEdges[4]).toBeLessThanOrEqual(115);
    expect(spec.keyProfiles.major.indexOf(Math.max(...spec.keyProfiles.major))).toBe(0);
  });

  it('gives each position its file’s density bin, pitch classes, loudness and composer, and drops controls at the set rates', () => {
    const source = streamWindows(files, { batchSize: 4, steps: 32, seed: 3, controls: streamControls(spec, files.map((_, i) => i % 2), 3) });
    let rows = 0;
    let rowsWithoutControls = 0;
    let stylesSeen = 0;
    for (let step = 0; step < 40; step++) {
      const batch = source.next();
      for (let row = 0; row < batch.batchSize; row++) {
        rows++;
        const first = batch.controls!.subarray(row * batch.steps * layout.width, (row * batch.steps + 1) * layout.width);
        if (first.every((value) => value === 0)) rowsWithoutControls++;
        const style = first.subarray(layout.style);
        const pitchClasses = first.subarray(layout.pitchClasses, layout.dynamics);
        if (style.some((value) => value === 1)) stylesSeen++;
        if (pitchClasses.some((value) => value > 0)) {
          expect(pitchClasses[0]! + pitchClasses[4]! + pitchClasses[7]!).toBeCloseTo(1, 5);
        }
      }
    }

    expect(rowsWithoutControls / rows).toBeGreaterThan(0.1);
    expect(rowsWithoutControls / rows).toBeLessThan(0.45);
    expect(stylesSeen / rows).toBeGreaterThan(0.3);
    expect(stylesSeen / rows).toBeLessThan(0.7);
  });

  it('feeds every position the keys sounding after its event, in rows whose other controls were dropped too', () => {
    const withKeys: ControlSpec = { ...spec, keyboard: keyboardSpec };
    const keysLayout = controlLayout(withKeys);
    const source = streamWindows(files, { batchSize: 4, steps: 32, seed: 3, controls: streamControls(withKeys, files.map((_, i) => i % 2), 3) });
    let rowsWithoutOtherControls = 0;
    for (let step = 0; step < 40; step++) {
      const batch = source.next();
      for (let row = 0; row < batch.batchSize; row++) {
        const at = (t: number) => (row * batch.steps + t) * keysLayout.width;
        if (batch.controls!.subarray(at(0), at(0) + keysLayout.keyboard).every((value) => value === 0)) rowsWithoutOtherControls++;
        for (let t = 0; t < batch.steps; t++) {
          const id = batch.inputs[row * batch.steps + t]!;
          const keys = Array.from(batch.controls!.subarray(at(t) + keysLayout.keyboard, at(t + 1)));
          const held = keys.filter((value) => value > 0);
          // Each arpeggio note is struck, held one shift, released: one key down after a strike or a shift, none after a release.
          if (id < NOTE_OFF_BASE) expect(held).toEqual([1]);
          else if (id < TIME_SHIFT_BASE) expect(held).toEqual([]);
          else if (id < VELOCITY_BASE) {
            expect(held).toHaveLength(1);
            expect(held[0]).toBeLessThan(1);
            expect(held[0]).toBeGreaterThan(0.5);
          }
        }
      }
    }
    expect(rowsWithoutOtherControls).toBeGreaterThan(0);
  });
});
