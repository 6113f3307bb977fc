import { NOTE_OFF_BASE, STEPS_PER_SECOND, TIME_SHIFT_BASE, VELOCITY_BASE } from '../../tokens/performance-ids.js';
import { PIANO_HIGHEST_PITCH, PIANO_LOWEST_PITCH } from '../../dataset/augment.js';

/** One input per key of the piano, A0..C8. */
export const KEYBOARD_KEYS = PIANO_HIGHEST_PITCH - PIANO_LOWEST_PITCH + 1;

/** What a model with a keyboard input is told after each event; saved in its control spec. */
export interface KeyboardSpec {
  /** A held key's input falls from 1 towards 0.5 with this time constant: how long it has sounded. */
  ageSeconds: number;
}

/** What `--keyboard` trains with: a key held for a second reads 0.68, for five 0.50. */
export const keyboardSpec: Readonly<KeyboardSpec> = Object.freeze({ ageSeconds: 1 });

const silent = -1;

/**
 * Which keys sound after the events fed so far, and for how long: the input a model with a keyboard reads next to
 * each event, so it need not remember every held note to know which may end (a pianist sees the keys that are down).
 * A held key reads 0.5 + 0.5·exp(−age / ageSeconds), a silent key 0; a NOTE_ON of a held key starts it again.
 * Pitches off the piano are not shown. The same class feeds training windows, evaluation and the sampler, so all
 * three see the same inputs.
 *
 * @example
 * const keys = new KeyboardState({ ageSeconds: 1 });
 * keys.observe(60); keys.write(out, 0); // out[60 − 21] = 1
 */
export class KeyboardState {
  private readonly startStep = new Float64Array(KEYBOARD_KEYS).fill(silent);
  private readonly decayPerStep: number;
  private clock = 0;
  private soundingCount = 0;

  constructor(spec: KeyboardSpec) {
    this.decayPerStep = 1 / (spec.ageSeconds * STEPS_PER_SECOND);
  }

  reset(): void {
    this.startStep.fill(silent);
    this.clock = 0;
    this.soundingCount = 0;
  }

  observe(id: number): void {
    if (id < NOTE_OFF_BASE) {
      const key = id - PIANO_LOWEST_PITCH;
      if (key < 0 || key >= KEYBOARD_KEYS) return;
      if (this.startStep[key] === silent) this.soundingCount += 1;
      this.startStep[key] = this.clock;
    } else if (id < TIME_SHIFT_BASE) {
      const key = id - NOTE_OFF_BASE - PIANO_LOWEST_PITCH;
      if (key < 0 || key >= KEYBOARD_KEYS || this.startStep[key] === silent) return;
      this.startStep[key] = silent;
      this.soundingCount -= 1;
    } else if (id < VELOCITY_BASE) {
      this.clock += id - TIME_SHIFT_BASE + 1;
    }
  }

  /** Writes the keys' inputs at `out[offset … offset + KEYBOARD_KEYS)` (silent keys are set to 0). */
  write(out: Float32Array, offset: number): void {
    for (let key = 0; key < KEYBOARD_KEYS; key++) out[offset + key] = this.valueOf(key);
  }

  /** Calls `visit(key, input)` for each held key (the silent ones read 0). */
  forEachHeld(visit: (key: number, input: number) => void): void {
    if (this.soundingCount === 0) return;
    for (let key = 0; key < KEYBOARD_KEYS; key++) if (this.startStep[key] !== silent) visit(key, this.valueOf(key));
  }

  private valueOf(key: number): number {
    const start = this.startStep[key]!;
    return start === silent ? 0 : 0.5 + 0.5 * Math.exp(-(this.clock - start) * this.decayPerStep);
  }
}

/**
 * Keyboard inputs of positions `from ≤ p < to` of one file's tokens: position p reads the keys after event p (the
 * event it feeds), written at `out[offset + (p − from) · stride …]`. Replays the file from its start, which costs
 * microseconds next to the training step that reads the window.
 */
export function writeKeyboardInputs(
  keys: KeyboardState,
  tokens: ArrayLike<number>,
  from: number,
  to: number,
  out: Float32Array,
  offset: number,
  stride: number,
): void {
  keys.reset();
  for (let position = 0; position < from; position++) keys.observe(tokens[position]!);
  for (let position = from; position < to; position++) {
    keys.observe(tokens[position]!);
    keys.write(out, offset + (position - from) * stride);
  }
}
