import type { NoteSequence } from '../midi/note-sequence.js';

/**
 * The notes that start within `[startSeconds, startSeconds + seconds)`, moved to start at 0 and cut at the window's
 * end, as a generated piece of that length is: excerpts and generated pieces are measured alike.
 * @example excerpt(performance, 60, 30).totalSeconds // 30
 */
export function excerpt(sequence: NoteSequence, startSeconds: number, seconds: number): NoteSequence {
  const end = startSeconds + seconds;
  const notes = sequence.notes
    .filter((note) => note.startSeconds >= startSeconds && note.startSeconds < end)
    .map((note) => ({ ...note, startSeconds: note.startSeconds - startSeconds, endSeconds: Math.min(note.endSeconds, end) - startSeconds }));
  return { notes, totalSeconds: seconds };
}

/** Where an excerpt comes from: which file, and from when. */
export interface ExcerptPlace {
  file: number;
  startSeconds: number;
}

/**
 * `count` excerpt places spread evenly over `fileSeconds.length` files (each file about count/files times when there
 * are fewer files than excerpts), each at a random start on the 10 ms grid drawn from `random` (uniform in [0, 1)): a
 * seeded source gives the same excerpts every time. A file shorter than `seconds` is taken whole.
 * @example excerptPlaces([300, 420], 4, 30, () => rng.next()) // [{ file: 0, startSeconds: 112.4 }, { file: 0, … }, …]
 */
export function excerptPlaces(fileSeconds: readonly number[], count: number, seconds: number, random: () => number): ExcerptPlace[] {
  return Array.from({ length: fileSeconds.length === 0 ? 0 : count }, (_, k) => {
    const file = Math.floor((k * fileSeconds.length) / count);
    const room = Math.max(0, fileSeconds[file]! - seconds);
    return { file, startSeconds: Math.round(random() * room * 100) / 100 };
  });
}
