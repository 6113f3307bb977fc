import { describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../src/midi/note-sequence.js';
import { notesChordsTokenizer } from '../../../src/tokens/notes-chords.js';
import { buildNotesChordsVocabulary } from '../../../src/tokens/notes-chords-vocabulary.js';
import { performanceTokenizer } from '../../../src/tokens/performance.js';
import { NOTE_OFF_BASE, TIME_SHIFT_BASE, VELOCITY_BASE } from '../../../src/tokens/performance-ids.js';
import { primerTokens } from '../../../src/tokens/primer-tokens.js';

/** A melody over a bass note held to the primer's end (the cut), as a primer taken from a performance is. */
const cutPrimer: NoteSequence = {
  notes: [
    { pitch: 48, velocity: 70, startSeconds: 0, endSeconds: 2 },
    { pitch: 64, velocity: 80, startSeconds: 0.5, endSeconds: 1 },
    { pitch: 67, velocity: 80, startSeconds: 1.2, endSeconds: 1.7 },
  ],
  totalSeconds: 2,
};

const noteOffs = (ids: Uint16Array) => [...ids].filter((id) => id >= NOTE_OFF_BASE && id < TIME_SHIFT_BASE).map((id) => id - NOTE_OFF_BASE);
const isShift = (id: number) => id >= TIME_SHIFT_BASE && id < VELOCITY_BASE;

describe('primerTokens', () => {
  it('leaves a note held to the primer’s end sounding and ends the released ones', () => {
    const ids = primerTokens(performanceTokenizer, cutPrimer, { holdSoundingNotes: true });

    expect(noteOffs(ids)).toEqual([64, 67]);
    expect(isShift(ids.at(-1)!)).toBe(false);
    expect(performanceTokenizer.decode(ids).notes.map((note) => note.pitch)).toEqual([48, 64, 67]);
  });

  it('stops at the last event, so the model chooses the gap to its first note', () => {
    const released: NoteSequence = { notes: cutPrimer.notes.slice(1), totalSeconds: 3 };
    const ids = primerTokens(performanceTokenizer, released, { holdSoundingNotes: true });

    expect(ids).toEqual(performanceTokenizer.encode(released));
    expect(ids.at(-1)).toBe(NOTE_OFF_BASE + 67);
  });

  it('is the plain encoding when held notes are not kept, or the vocabulary has no note-offs', () => {
    expect(primerTokens(performanceTokenizer, cutPrimer, { holdSoundingNotes: false })).toEqual(performanceTokenizer.encode(cutPrimer));
    const notesChords = notesChordsTokenizer(buildNotesChordsVocabulary([cutPrimer]));
    expect(primerTokens(notesChords, cutPrimer, { holdSoundingNotes: true })).toEqual(notesChords.encode(cutPrimer));
  });
});
