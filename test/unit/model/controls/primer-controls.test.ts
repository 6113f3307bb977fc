import { describe, expect, it } from 'vitest';
import { controlLayout, dynamicsMarks, type ControlSpec } from '../../../../src/model/controls/control-spec.js';
import { primerControls } from '../../../../src/model/controls/primer-controls.js';
import { streamControls } from '../../../../src/model/controls/stream-controls.js';
import { performanceIds as ids } from '../../../../src/tokens/performance-ids.js';
import { tinyControlSpec } from '../../../../fixtures/model-fixtures.js';

/** An A-minor arpeggio (A C E) at 5 notes a second, velocity bin 20, for `seconds`. */
function arpeggio(seconds: number): Uint16Array {
  const tokens: number[] = [ids.velocity(20)];
  for (let i = 0; i < seconds * 5; i++) tokens.push(ids.noteOn([57, 60, 64][i % 3]!), ids.timeShift(20), ids.noteOff([57, 60, 64][i % 3]!));
  return Uint16Array.from(tokens);
}

const spec: ControlSpec = { ...tinyControlSpec, dropout: { all: 0, each: 0 } };
const layout = controlLayout(spec);
const all = { density: true, pitchClasses: true, dynamics: true };

describe('primerControls', () => {
  it('writes every primer position exactly as a training window of the same ids is written', () => {
    const primer = arpeggio(8);
    const training = streamControls(spec, [-1], 1);
    training.startEpoch(primer, [{ file: 0, start: 0, end: primer.length }]);
    const expected = new Float32Array(primer.length * layout.width);
    training.writeRow(0, primer.length, expected, 0, { epoch: 0, window: 0, row: 0 });

    const { whileReading } = primerControls(spec, primer, all);

    whileReading.forEach((vector, position) => expect(vector).toEqual(expected.subarray(position * layout.width, (position + 1) * layout.width)));
  });

  it('holds the primer’s newest window for the continuation: its density bin, raw pitch classes and dynamics bin', () => {
    // 12 s at 5 notes/s: the last 10 s hold 50 notes; tiny edges [1, 2, 4, 8, 16] put 5/s in bin 3.
    const { continuing, measured } = primerControls(spec, arpeggio(12), all);

    expect(measured.notesPerSecond).toBeCloseTo(5, 1);
    expect([...continuing.subarray(layout.density, layout.pitchClasses)].indexOf(1)).toBe(3);
    const pitchClasses = [...continuing.subarray(layout.pitchClasses, layout.dynamics)];
    expect(pitchClasses[9]! + pitchClasses[0]! + pitchClasses[4]!).toBeCloseTo(1, 5);
    expect(pitchClasses[9]).toBeGreaterThan(0.3);
    // Velocity bin 20 decodes to ≈ 82: tiny dynamics edges [45, 55, 65, 75, 85] make that "f".
    expect(dynamicsMarks[[...continuing.subarray(layout.dynamics, layout.style)].indexOf(1)]).toBe('f');
    expect(continuing.subarray(layout.style).every((value) => value === 0)).toBe(true);
  });

  it('leaves out the controls it is not asked to take', () => {
    const { continuing, whileReading } = primerControls(spec, arpeggio(8), { density: true, pitchClasses: false, dynamics: false });

    expect(continuing.subarray(layout.pitchClasses).every((value) => value === 0)).toBe(true);
    expect(whileReading[0]!.subarray(layout.density, layout.pitchClasses).some((value) => value === 1)).toBe(true);
  });
});
