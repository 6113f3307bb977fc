import type { TickNote } from './tick-note.js';

/**
 * Sort notes by start then pitch, end each note where the same pitch is struck again (on any
 * channel: a piano has one string per pitch), and drop notes left without duration.
 *
 * @example
 * const playable = cutRestruckNotes(notes);
 */
export function cutRestruckNotes(notes: TickNote[]): TickNote[] {
  notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
  const sounding: (TickNote | undefined)[] = new Array(128);
  for (const note of notes) {
    const previous = sounding[note.pitch];
    if (previous !== undefined && previous.endTick > note.startTick) previous.endTick = note.startTick;
    sounding[note.pitch] = note;
  }
  return notes.filter((note) => note.endTick > note.startTick);
}
