import type { Note, NoteSequence } from '../midi/note-sequence.js';
import type { Tokenizer } from './tokenizer.js';
import {
  DEFAULT_VELOCITY,
  MAX_SHIFT_STEPS,
  NOTE_OFF_BASE,
  PERFORMANCE_VOCAB_SIZE,
  PITCH_COUNT,
  STEPS_PER_SECOND,
  TIME_SHIFT_BASE,
  VELOCITY_BASE,
  binVelocity,
  performanceSecondsOf,
  velocityBin,
} from './performance-ids.js';

/** Packed sort keys must stay exact integers in a float64: step × 256 × notes < 2^53. */
const MAX_SAFE_KEY = Number.MAX_SAFE_INTEGER;

/**
 * Performance RNN events for a piece. Times go to the 10 ms grid; a note keeps at least one step so it still sounds;
 * at one instant note-offs come before note-ons (then by pitch); VELOCITY is emitted only when the bin changes.
 * Notes of one pitch that overlap are cut where the next one starts (what the decoder would do anyway), and a second
 * onset of a pitch in the same 10 ms step is dropped, so decode(encode(x)) reproduces every onset the grid can hold.
 * @example encodePerformance({ notes: [{ pitch: 60, velocity: 80, startSeconds: 0, endSeconds: 0.5 }], totalSeconds: 0.5 })
 * // Uint16Array [375 (VELOCITY bin 19), 60 (NOTE_ON 60), 305 (TIME_SHIFT 500ms), 188 (NOTE_OFF 60)]
 */
export function encodePerformance(sequence: NoteSequence): Uint16Array {
  const notes = sequence.notes;
  const count = notes.length;
  const onSteps = new Float64Array(count);
  const bins = new Uint8Array(count);
  const pitches = new Uint8Array(count);
  const keys = new Float64Array(count * 2);
  let lastStep = 0;
  for (let i = 0; i < count; i++) {
    const note = notes[i];
    const onStep = Math.max(0, Math.round(note.startSeconds * STEPS_PER_SECOND));
    const offStep = Math.max(onStep + 1, Math.round(note.endSeconds * STEPS_PER_SECOND));
    const pitch = note.pitch & 0x7f;
    onSteps[i] = onStep;
    bins[i] = velocityBin(note.velocity);
    pitches[i] = pitch;
    // (step, offs before ons, pitch, note index): one numeric sort orders every event.
    keys[2 * i] = (offStep * 2 * PITCH_COUNT + pitch) * count + i;
    keys[2 * i + 1] = ((onStep * 2 + 1) * PITCH_COUNT + pitch) * count + i;
    if (offStep > lastStep) lastStep = offStep;
  }
  if ((lastStep + 1) * 2 * PITCH_COUNT * count > MAX_SAFE_KEY) {
    throw new RangeError(`piece too long to encode: ${count} notes over ${lastStep / STEPS_PER_SECOND} s`);
  }
  keys.sort();

  const ids = new Uint16Array(count * 5 + Math.ceil(lastStep / MAX_SHIFT_STEPS) + 1);
  const openNote = new Int32Array(PITCH_COUNT).fill(-1);
  let length = 0;
  let clock = 0;
  let currentBin = -1;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const index = key % count;
    const slot = (key - index) / count;
    const pitch = slot % PITCH_COUNT;
    const isOn = ((slot - pitch) / PITCH_COUNT) % 2;
    const step = (slot - pitch - isOn * PITCH_COUNT) / (2 * PITCH_COUNT);
    if (isOn === 1) {
      const open = openNote[pitch];
      if (open !== -1 && onSteps[open] === step) continue;
      openNote[pitch] = index;
    } else {
      if (openNote[pitch] !== index) continue;
      openNote[pitch] = -1;
    }
    for (let gap = step - clock; gap > 0; gap -= MAX_SHIFT_STEPS) {
      ids[length++] = TIME_SHIFT_BASE - 1 + Math.min(gap, MAX_SHIFT_STEPS);
    }
    clock = step;
    if (isOn === 1) {
      if (bins[index] !== currentBin) {
        currentBin = bins[index];
        ids[length++] = VELOCITY_BASE + currentBin;
      }
      ids[length++] = pitch;
    } else {
      ids[length++] = NOTE_OFF_BASE + pitch;
    }
  }
  return ids.slice(0, length);
}

/**
 * Notes from any id sequence, never throwing: ids outside 0..387 or non-integers are skipped, a NOTE_OFF of a silent
 * pitch is ignored, a NOTE_ON of a sounding pitch ends the earlier note there (a repeated NOTE_ON in the same step is
 * ignored), notes still sounding at the end are closed there, and every note lasts at least one 10 ms step.
 * Velocity is the bin's decoded value ({@link binVelocity}), or {@link DEFAULT_VELOCITY} before any VELOCITY event.
 */
export function decodePerformance(ids: ArrayLike<number>): NoteSequence {
  const notes: Note[] = [];
  const openNote: (Note | undefined)[] = new Array(PITCH_COUNT);
  const openStep = new Float64Array(PITCH_COUNT);
  let clock = 0;
  let velocity = DEFAULT_VELOCITY;
  let endStep = 0;
  const close = (pitch: number, step: number): void => {
    const end = Math.max(step, openStep[pitch] + 1);
    (openNote[pitch] as Note).endSeconds = end / STEPS_PER_SECOND;
    openNote[pitch] = undefined;
    if (end > endStep) endStep = end;
  };
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    if (!Number.isInteger(id) || id < 0 || id >= PERFORMANCE_VOCAB_SIZE) continue;
    if (id < NOTE_OFF_BASE) {
      if (openNote[id] !== undefined) {
        if (openStep[id] === clock) continue;
        close(id, clock);
      }
      const note = { pitch: id, velocity, startSeconds: clock / STEPS_PER_SECOND, endSeconds: 0 };
      notes.push(note);
      openNote[id] = note;
      openStep[id] = clock;
    } else if (id < TIME_SHIFT_BASE) {
      if (openNote[id - NOTE_OFF_BASE] !== undefined) close(id - NOTE_OFF_BASE, clock);
    } else if (id < VELOCITY_BASE) {
      clock += id - TIME_SHIFT_BASE + 1;
    } else {
      velocity = binVelocity(id - VELOCITY_BASE);
    }
  }
  for (let pitch = 0; pitch < PITCH_COUNT; pitch++) if (openNote[pitch] !== undefined) close(pitch, clock);
  notes.sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch);
  return { notes, totalSeconds: Math.max(clock, endStep) / STEPS_PER_SECOND };
}

/** The default tokenizer: Performance RNN events, 388 fixed ids (see performance-ids.ts). */
export const performanceTokenizer: Tokenizer = {
  name: 'performance',
  vocabSize: PERFORMANCE_VOCAB_SIZE,
  encode: encodePerformance,
  decode: decodePerformance,
  secondsOf: performanceSecondsOf,
};
