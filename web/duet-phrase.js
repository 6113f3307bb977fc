// The duet's musical bookkeeping, without the browser: the phrase as a generate primer, how long an answer to ask for,
// and the answer picked out of the piece the server sends back (primer + continuation in one MIDI file).

/** An answer lasts about as long as the phrase, within these bounds (seconds). */
export const answerSecondsRange = { min: 2, max: 8 };

/**
 * Notes of a phrase sent as the primer, newest first kept: the server only reads the primer's newest events, and a
 * shorter body answers sooner.
 */
export const primerNotesSent = 256;

/** Seconds from the phrase's first onset to its last release. */
function spanOf(notes) {
  if (notes.length === 0) return 0;
  return Math.max(...notes.map((note) => note.endSeconds)) - Math.min(...notes.map((note) => note.startSeconds));
}

/**
 * How many seconds of music to ask for: the phrase's length, clamped to {@link answerSecondsRange}.
 *
 * @example
 * answerSecondsFor([{ pitch: 60, velocity: 80, startSeconds: 0, endSeconds: 3.2 }]); // 3.2
 */
export function answerSecondsFor(phraseNotes) {
  const { min, max } = answerSecondsRange;
  return Math.min(max, Math.max(min, Math.round(spanOf(phraseNotes) * 100) / 100));
}

/**
 * The phrase as POST /generate's JSON primer: `{ pitch, start, end, velocity }` in seconds from its first onset,
 * whole milliseconds, at most {@link primerNotesSent} of the newest notes.
 *
 * @example
 * primerOf([{ pitch: 60, velocity: 80, startSeconds: 1.5, endSeconds: 1.9 }]); // [{ pitch: 60, start: 0, end: 0.4, velocity: 80 }]
 */
export function primerOf(phraseNotes) {
  const kept = [...phraseNotes].sort((a, b) => a.startSeconds - b.startSeconds).slice(-primerNotesSent);
  const origin = kept[0]?.startSeconds ?? 0;
  const milliseconds = (seconds) => Math.round((seconds - origin) * 1000) / 1000;
  return kept.map((note) => {
    const start = milliseconds(note.startSeconds);
    return { pitch: note.pitch, start, end: Math.max(start + 0.001, milliseconds(note.endSeconds)), velocity: note.velocity };
  });
}

/**
 * The answer in a generated piece: the notes that start at or after `primerSeconds` (the `X-Rubato-Primer-Seconds`
 * header), moved earlier so the first one sounds at 0 — the player has already waited out the pause, so the
 * model's own rest before its first note would only add to it.
 *
 * @example
 * answerOf([{ pitch: 60, velocity: 80, startSeconds: 0, endSeconds: 1 }, { pitch: 62, velocity: 70, startSeconds: 1.3, endSeconds: 1.6 }], 1);
 * // [{ pitch: 62, velocity: 70, startSeconds: 0, endSeconds: 0.3 }]
 */
export function answerOf(pieceNotes, primerSeconds) {
  // The header has two decimals and note times come through MIDI ticks: allow half a 10 ms step.
  const after = pieceNotes.filter((note) => note.startSeconds >= primerSeconds - 0.005);
  if (after.length === 0) return [];
  const first = Math.min(...after.map((note) => note.startSeconds));
  const shift = (seconds) => Math.round((seconds - first) * 1e6) / 1e6;
  return after
    .map((note) => ({ pitch: note.pitch, velocity: note.velocity, startSeconds: shift(note.startSeconds), endSeconds: shift(note.endSeconds) }))
    .sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch);
}
