// The duet's musical bookkeeping, without the browser: the phrase as a generate primer, how long an answer to ask for,
// and the answer picked out of the piece the server sends back (primer + continuation in one MIDI file).

/** An answer lasts about as long as the phrase, within these bounds (seconds). */
export const answerSecondsRange = { min: 2, max: 8 };

/**
 * Seconds asked for beyond the answer itself: after a phrase whose keys were all let go the model may rest before it
 * plays (the server's silence cap is 2 s), and the answer starts at its first note wherever that falls. Asked for just
 * the answer's length, 4 in 60 answers of 2 s came back empty.
 */
export const restBeforeAnswerSeconds = 2;

/**
 * Notes of a phrase sent as the primer, the newest kept: at most 4 ids a note, so the server reads all of it (it reads
 * the newest 512 ids or more) and the piece's time line is the phrase's; a shorter body also answers sooner.
 */
export const primerNotesSent = 128;

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

/** Half a 10 ms step: the header has two decimals and note times come through the tokenizer's grid and MIDI ticks. */
const sameInstant = 0.006;

/**
 * The answer in a generated piece: the notes from `primerSeconds` on (the `X-Rubato-Primer-Seconds` header, the time of
 * the primer's last event), moved earlier so the first sounds at 0 — the player has already waited out the pause, so
 * the model's own rest before its first note would only add to it. At that very instant the primer's own onsets are
 * left out (a continuation leaves the primer's last notes sounding and ends them itself); a pitch is never struck
 * twice in one step, so a new note there has a pitch the primer does not strike then. `primer` is the primer as sent
 * ({@link primerOf}): the piece starts where it does. Only notes starting within `seconds` of the first are kept: the
 * piece was asked for {@link restBeforeAnswerSeconds} longer than the answer.
 *
 * @example
 * answerOf([{ pitch: 60, velocity: 80, startSeconds: 0, endSeconds: 1.4 }, { pitch: 62, velocity: 70, startSeconds: 1.3, endSeconds: 1.6 }], 0, [{ pitch: 60, start: 0, end: 0.5, velocity: 80 }], 2);
 * // [{ pitch: 62, velocity: 70, startSeconds: 0, endSeconds: 0.3 }]
 */
export function answerOf(pieceNotes, primerSeconds, primer, seconds) {
  const atTheEnd = (seconds) => Math.abs(seconds - primerSeconds) <= sameInstant;
  const struckAtTheEnd = new Set(primer.filter((note) => atTheEnd(note.start)).map((note) => note.pitch));
  const after = pieceNotes.filter((note) => (atTheEnd(note.startSeconds) ? !struckAtTheEnd.has(note.pitch) : note.startSeconds > primerSeconds));
  if (after.length === 0) return [];
  const first = Math.min(...after.map((note) => note.startSeconds));
  const shift = (seconds) => Math.round((seconds - first) * 1e6) / 1e6;
  return after
    .map((note) => ({ pitch: note.pitch, velocity: note.velocity, startSeconds: shift(note.startSeconds), endSeconds: shift(note.endSeconds) }))
    .filter((note) => note.startSeconds < seconds)
    .sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch);
}
