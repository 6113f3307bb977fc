import type { Note } from '../midi/note-sequence.js';

/**
 * Throws a RangeError naming the note when it cannot be tokenized: pitch not an integer 0..127, or a time or velocity
 * that is not a finite number. Tokenizers pack notes into typed arrays, where such values would turn silently into
 * wrong ids.
 */
export function checkNote(note: Note, index: number): void {
  const { pitch, velocity, startSeconds, endSeconds } = note;
  if (!Number.isInteger(pitch) || pitch < 0 || pitch > 127) {
    throw new RangeError(`note ${index}: pitch ${pitch} is not a MIDI pitch 0..127`);
  }
  if (!Number.isFinite(startSeconds) || !Number.isFinite(endSeconds) || !Number.isFinite(velocity)) {
    throw new RangeError(`note ${index}: start ${startSeconds}, end ${endSeconds} and velocity ${velocity} must be finite numbers`);
  }
}
