import type { Note, NoteSequence } from '../midi/note-sequence.js';
import { checkNote } from './check-note.js';
import { performanceGrammar } from './performance-grammar.js';
import type { DecodeOptions, Tokenizer } from './tokenizer.js';
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

/** Notes on the 10 ms grid, as parallel typed arrays; `kept[i]` is 0 for a note the grid cannot hold. */
interface GridNotes {
  count: number;
  pitches: Uint8Array;
  bins: Uint8Array;
  onSteps: Float64Array;
  offSteps: Float64Array;
  kept: Uint8Array;
  lastStep: number;
}

/**
 * Rounds notes to the grid (at least one step long), drops a second onset of a pitch in one step and ends a note
 * where the next note of its pitch starts, so that every note's on and off pair up unambiguously.
 */
function toGrid(notes: readonly Note[]): GridNotes {
  const count = notes.length;
  const grid: GridNotes = {
    count,
    pitches: new Uint8Array(count),
    bins: new Uint8Array(count),
    onSteps: new Float64Array(count),
    offSteps: new Float64Array(count),
    kept: new Uint8Array(count).fill(1),
    lastStep: 0,
  };
  const { pitches, bins, onSteps, offSteps, kept } = grid;
  const onsetOrder = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const note = notes[i];
    checkNote(note, i);
    const onStep = Math.max(0, Math.round(note.startSeconds * STEPS_PER_SECOND));
    pitches[i] = note.pitch;
    bins[i] = velocityBin(note.velocity);
    onSteps[i] = onStep;
    offSteps[i] = Math.max(onStep + 1, Math.round(note.endSeconds * STEPS_PER_SECOND));
    if (offSteps[i] > grid.lastStep) grid.lastStep = offSteps[i];
    onsetOrder[i] = (onStep * PITCH_COUNT + pitches[i]) * count + i;
  }
  if ((grid.lastStep + 1) * 2 * PITCH_COUNT * count > MAX_SAFE_KEY) {
    throw new RangeError(`piece too long to encode: ${count} notes over ${grid.lastStep / STEPS_PER_SECOND} s`);
  }
  onsetOrder.sort();
  const previous = new Int32Array(PITCH_COUNT).fill(-1);
  for (let k = 0; k < count; k++) {
    const i = onsetOrder[k] % count;
    const before = previous[pitches[i]];
    if (before !== -1 && onSteps[before] === onSteps[i]) {
      kept[i] = 0;
      continue;
    }
    if (before !== -1 && offSteps[before] > onSteps[i]) offSteps[before] = onSteps[i];
    previous[pitches[i]] = i;
  }
  return grid;
}

/**
 * Performance RNN events for a piece. Times go to the 10 ms grid; a note keeps at least one step so it still sounds;
 * at one instant note-offs come before note-ons (each group by pitch); VELOCITY is emitted only when the bin changes.
 * A note is cut where the next note of its pitch starts, and a second onset of a pitch in the same 10 ms step is
 * dropped (the first listed stays), so decode(encode(x)) keeps every onset the grid can hold. Notes start no earlier
 * than 0 s. Throws a RangeError for a note with a pitch outside 0..127 or a non-finite number, and for a piece too
 * long for exact packed sort keys (notes × 10 ms steps ≥ 2^45, e.g. a million notes spread over four days).
 * @example encodePerformance({ notes: [{ pitch: 60, velocity: 80, startSeconds: 0, endSeconds: 0.5 }], totalSeconds: 0.5 })
 * // Uint16Array [375 (VELOCITY bin 19), 60 (NOTE_ON 60), 305 (TIME_SHIFT 500ms), 188 (NOTE_OFF 60)]
 */
export function encodePerformance(sequence: NoteSequence): Uint16Array {
  const { count, pitches, bins, onSteps, offSteps, kept, lastStep } = toGrid(sequence.notes);
  // (step, offs before ons, pitch, note index) packed in one number: a single numeric sort orders every event.
  const events = new Float64Array(count * 2);
  let eventCount = 0;
  for (let i = 0; i < count; i++) {
    if (kept[i] === 0) continue;
    events[eventCount++] = (offSteps[i] * 2 * PITCH_COUNT + pitches[i]) * count + i;
    events[eventCount++] = ((onSteps[i] * 2 + 1) * PITCH_COUNT + pitches[i]) * count + i;
  }
  const sorted = events.subarray(0, eventCount).sort();

  // Worst case per note: VELOCITY, NOTE_ON, NOTE_OFF and a shift before each, plus one more shift per second.
  const ids = new Uint16Array(eventCount * 3 + Math.ceil(lastStep / MAX_SHIFT_STEPS) + 1);
  let length = 0;
  let clock = 0;
  let currentBin = -1;
  for (let k = 0; k < eventCount; k++) {
    const index = sorted[k] % count;
    const slot = (sorted[k] - index) / count;
    const pitch = slot % PITCH_COUNT;
    const isOn = ((slot - pitch) / PITCH_COUNT) % 2;
    const step = (slot - pitch - isOn * PITCH_COUNT) / (2 * PITCH_COUNT);
    for (let gap = step - clock; gap > 0; gap -= MAX_SHIFT_STEPS) {
      ids[length++] = TIME_SHIFT_BASE - 1 + Math.min(gap, MAX_SHIFT_STEPS);
    }
    clock = step;
    if (isOn === 0) {
      ids[length++] = NOTE_OFF_BASE + pitch;
      continue;
    }
    if (bins[index] !== currentBin) {
      currentBin = bins[index];
      ids[length++] = VELOCITY_BASE + currentBin;
    }
    ids[length++] = pitch;
  }
  return ids.slice(0, length);
}

/**
 * Notes from any id sequence, never throwing: ids outside 0..387 or non-integers are skipped, a NOTE_OFF of a silent
 * pitch is ignored, a NOTE_ON of a sounding pitch ends the earlier note there (a repeated NOTE_ON in the same step is
 * ignored), notes still sounding at the end are closed there, and every note lasts at least one 10 ms step.
 * Velocity is the bin's decoded value ({@link binVelocity}), or {@link DEFAULT_VELOCITY} before any VELOCITY event.
 * With `maxNoteSeconds`, a note lasts at most that long (a pianist's hand does not hold a key for minutes).
 */
export function decodePerformance(ids: ArrayLike<number>, options: DecodeOptions = {}): NoteSequence {
  const capSteps = options.maxNoteSeconds === undefined ? Infinity : Math.max(1, Math.round(options.maxNoteSeconds * STEPS_PER_SECOND));
  const notes: Note[] = [];
  const openNote: (Note | undefined)[] = new Array(PITCH_COUNT);
  const openStep = new Float64Array(PITCH_COUNT);
  let clock = 0;
  let velocity = DEFAULT_VELOCITY;
  let endStep = 0;
  const close = (pitch: number, step: number): void => {
    const end = Math.min(Math.max(step, openStep[pitch] + 1), openStep[pitch] + capSteps);
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
  grammar: performanceGrammar,
};
