import type { NoteSequence } from '../midi/note-sequence.js';
import { checkNote } from './check-note.js';

/** The symbol of a step where no note starts. */
export const REST_SYMBOL = 'rest';

/** A step's symbol: its distinct pitches ascending, joined by '.' ("60", "60.64.67"), or {@link REST_SYMBOL}. */
export function chordSymbol(pitches: readonly number[]): string {
  return pitches.length === 0 ? REST_SYMBOL : pitches.join('.');
}

/** Pitches of a symbol, ascending; [] for a rest. Assumes a symbol made by {@link chordSymbol}. */
export function symbolPitches(symbol: string): number[] {
  return symbol === REST_SYMBOL ? [] : symbol.split('.').map(Number);
}

/** True when `symbol` is a rest or strictly ascending MIDI pitches 0..127 joined by '.'. */
export function isChordSymbol(symbol: string): boolean {
  if (symbol === REST_SYMBOL) return true;
  if (!/^\d{1,3}(\.\d{1,3})*$/.test(symbol)) return false;
  const pitches = symbolPitches(symbol);
  return pitches.every((pitch, i) => pitch <= 127 && (i === 0 || pitch > pitches[i - 1]));
}

/**
 * The pitches starting at each step of a grid of `stepSeconds`, onsets rounded to the nearest step, from step 0 to the
 * end of the piece (`totalSeconds` rounded to the grid, or the last onset when later). Durations and velocities are
 * dropped, as in the Keras tutorial vocabulary. Throws a RangeError for a note {@link checkNote} refuses.
 * @example stepChords({ notes: [c4 at 0 s, e4 at 0.01 s, g4 at 0.25 s], totalSeconds: 0.5 }, 0.125) // [[60, 64], [], [67], []]
 */
export function stepChords(sequence: NoteSequence, stepSeconds: number): number[][] {
  const count = sequence.notes.length;
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const note = sequence.notes[i];
    checkNote(note, i);
    keys[i] = Math.max(0, Math.round(note.startSeconds / stepSeconds)) * 128 + note.pitch;
  }
  keys.sort();
  const lastOnsetStep = count === 0 ? -1 : Math.floor(keys[count - 1] / 128);
  const pieceSteps = Number.isFinite(sequence.totalSeconds) ? Math.round(sequence.totalSeconds / stepSeconds) : 0;
  const chords: number[][] = Array.from({ length: Math.max(lastOnsetStep + 1, pieceSteps) }, () => []);
  let previous = -1;
  for (const key of keys) {
    if (key === previous) continue;
    previous = key;
    chords[Math.floor(key / 128)].push(key % 128);
  }
  return chords;
}
