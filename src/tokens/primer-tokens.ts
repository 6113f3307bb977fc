import type { NoteSequence } from '../midi/note-sequence.js';
import { MAX_SHIFT_STEPS, STEPS_PER_SECOND, TIME_SHIFT_BASE } from './performance-ids.js';
import type { Tokenizer } from './tokenizer.js';

/** How a primer's last instant becomes the first instant of its continuation. */
export interface PrimerEnding {
  /**
   * Notes that sound to the primer's very end are left sounding (their NOTE_OFFs at the end are dropped), so the
   * continuation ends them as a pianist would rather than all at the cut. Off: every note ends where the file says.
   */
  holdSoundingNotes: boolean;
}

/** A note that ends within this of the primer's `totalSeconds` was still down when the recording (or the cut) stopped. */
const heldToEndSeconds = 0.015;

/**
 * The ids a continuation reads before its own: the primer encoded up to its last event, as the tokenizer encodes any
 * piece (no time shift after it: the model chooses the gap to its first note itself). With `holdSoundingNotes` and
 * the performance tokenizer, notes held to the primer's end stay open and the continuation ends them.
 *
 * @example
 * primerTokens(performanceTokenizer, primer, { holdSoundingNotes: true }) // ids without the NOTE_OFFs at the cut
 */
export function primerTokens(tokenizer: Tokenizer, primer: NoteSequence, ending: PrimerEnding): Uint16Array {
  const end = primer.totalSeconds;
  const isHeld = (endSeconds: number) => endSeconds >= end - heldToEndSeconds;
  if (!ending.holdSoundingNotes || tokenizer.name !== 'performance' || !primer.notes.some((note) => isHeld(note.endSeconds))) {
    return tokenizer.encode(primer);
  }
  // A held note is encoded as lasting a second past the end; cutting the ids half-way there drops its NOTE_OFF.
  const notes = primer.notes.map((note) => (isHeld(note.endSeconds) ? { ...note, endSeconds: Math.max(note.endSeconds, end) + 1 } : note));
  return untilStep(tokenizer.encode({ notes, totalSeconds: end + 1 }), Math.round((end + 0.5) * STEPS_PER_SECOND));
}

/** The ids up to the last event at or before `endStep` (no time shift after it). */
function untilStep(ids: Uint16Array, endStep: number): Uint16Array {
  let clock = 0;
  let kept = 0;
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index]!;
    const isShift = id >= TIME_SHIFT_BASE && id < TIME_SHIFT_BASE + MAX_SHIFT_STEPS;
    if (isShift) clock += id - TIME_SHIFT_BASE + 1;
    if (clock > endStep) break;
    if (!isShift) kept = index + 1;
  }
  return ids.slice(0, kept);
}
