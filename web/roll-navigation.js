// Reaching the piano roll's notes from the keyboard: which note a key moves to from the one selected.

/** The keys the roll answers, each a move from the selected note (or from nothing, at the start of the piece). */
export const navigationKeys = ['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End'];

const byTime = (a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch;

/**
 * The note `key` selects after `current` (undefined: none selected yet): Right and Left step through the notes in time
 * order (chords low to high), Up and Down go to the nearest note in time that is higher or lower, Home and End to the
 * first and last note. Stays on `current` where there is nowhere to go; undefined for a roll without notes.
 *
 * @example
 * noteAfterKey(notes, undefined, 'ArrowRight'); // the first note of the piece
 * noteAfterKey(notes, note, 'ArrowUp');         // the nearest note above it in time
 */
export function noteAfterKey(notes, current, key) {
  const ordered = [...notes].sort(byTime);
  if (ordered.length === 0) return undefined;
  const index = ordered.indexOf(current);
  if (key === 'Home' || (index < 0 && key !== 'End')) return ordered[0];
  if (key === 'End') return ordered.at(-1);
  if (key === 'ArrowRight') return ordered[Math.min(index + 1, ordered.length - 1)];
  if (key === 'ArrowLeft') return ordered[Math.max(index - 1, 0)];
  const above = key === 'ArrowUp';
  const candidates = ordered.filter((note) => (above ? note.pitch > current.pitch : note.pitch < current.pitch));
  const distance = (note) => [Math.abs(note.startSeconds - current.startSeconds), Math.abs(note.pitch - current.pitch)];
  return candidates.reduce((best, note) => {
    const [time, pitch] = distance(note);
    const [bestTime, bestPitch] = distance(best);
    return time < bestTime || (time === bestTime && pitch < bestPitch) ? note : best;
  }, candidates[0]) ?? current;
}
