import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEYBOARD_KEYS, KeyboardState, writeKeyboardInputs } from '../../../../src/model/controls/keyboard-input.js';
import { performanceIds as ids } from '../../../../src/tokens/performance-ids.js';

const spec = { ageSeconds: 1 };
const keyOf = (pitch: number) => pitch - 21;

function inputsAfter(tokens: number[]): Float32Array {
  const keys = new KeyboardState(spec);
  tokens.forEach((id) => keys.observe(id));
  const out = new Float32Array(KEYBOARD_KEYS);
  keys.write(out, 0);
  return out;
}

describe('KeyboardState', () => {
  it('shows a struck key at 1, falling towards 0.5 while it is held, and 0 once released', () => {
    expect(inputsAfter([ids.noteOn(60)])[keyOf(60)]).toBe(1);
    expect(inputsAfter([ids.noteOn(60), ids.timeShift(100)])[keyOf(60)]).toBeCloseTo(0.5 + 0.5 * Math.exp(-1), 6);
    const heldLong = [ids.noteOn(60), ...Array.from({ length: 8 }, () => ids.timeShift(100))];
    expect(inputsAfter(heldLong)[keyOf(60)]).toBeGreaterThan(0.5);
    expect(inputsAfter(heldLong)[keyOf(60)]).toBeLessThan(0.501);
    expect(inputsAfter([ids.noteOn(60), ids.timeShift(50), ids.noteOff(60)]).every((value) => value === 0)).toBe(true);
  });

  it('starts a restruck key again, ignores a release of a silent key and pitches off the piano', () => {
    const restruck = inputsAfter([ids.noteOn(60), ids.timeShift(100), ids.noteOff(60), ids.noteOn(60)]);
    expect(restruck[keyOf(60)]).toBe(1);
    const keys = new KeyboardState(spec);
    [ids.noteOn(10), ids.noteOn(120), ids.noteOff(64), ids.noteOn(64)].forEach((id) => keys.observe(id));
    const held: number[] = [];
    keys.forEachHeld((key) => held.push(key));
    expect(held).toEqual([keyOf(64)]);
  });

  it('replays a file to any window and gives the inputs that stepping through it gives (property)', () => {
    const token = fc.oneof(
      fc.integer({ min: 21, max: 108 }).map((pitch) => ids.noteOn(pitch)),
      fc.integer({ min: 21, max: 108 }).map((pitch) => ids.noteOff(pitch)),
      fc.integer({ min: 1, max: 100 }).map((steps) => ids.timeShift(steps)),
      fc.integer({ min: 0, max: 31 }).map((bin) => ids.velocity(bin)),
    );
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 80 }), fc.nat(), fc.nat(), (tokens, a, b) => {
        const from = a % tokens.length;
        const to = from + (b % (tokens.length - from + 1));
        const stride = KEYBOARD_KEYS + 3;
        const out = new Float32Array((to - from) * stride + 3);
        writeKeyboardInputs(new KeyboardState(spec), tokens, from, to, out, 3, stride);
        for (let position = from; position < to; position++) {
          const row = out.subarray(3 + (position - from) * stride, 3 + (position - from) * stride + KEYBOARD_KEYS);
          expect(Array.from(row)).toEqual(Array.from(inputsAfter(tokens.slice(0, position + 1))));
        }
      }),
      { numRuns: 200 },
    );
  });
});
