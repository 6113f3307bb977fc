import { describe, expect, it } from 'vitest';
import { parseGenerateParams } from '../../../src/pipeline/generate-params.js';
import { answerOf, answerSecondsFor, primerNotesSent, primerOf } from '../../../web/duet-phrase.js';
import type { RecordedNote } from '../../../web/midi-messages.js';

const note = (pitch: number, startSeconds: number, endSeconds: number, velocity = 80): RecordedNote => ({ pitch, velocity, startSeconds, endSeconds });

describe('answerSecondsFor', () => {
  it.each([
    [[note(60, 0, 0.4)], 2],
    [[note(60, 0.5, 1), note(62, 1, 3.75)], 3.25],
    [[note(60, 0, 12)], 8],
    [[], 2],
  ])('asks for about as long as the phrase, 2 to 8 s (%#)', (phrase, seconds) => {
    expect(answerSecondsFor(phrase)).toBe(seconds);
  });
});

describe('primerOf', () => {
  it('sends the phrase from its first onset, in whole milliseconds, as POST /generate accepts it', () => {
    const primer = primerOf([note(64, 2.5004, 2.9), note(60, 2.25, 2.6, 90)]);

    expect(primer).toEqual([
      { pitch: 60, start: 0, end: 0.35, velocity: 90 },
      { pitch: 64, start: 0.25, end: 0.65, velocity: 80 },
    ]);
    expect(parseGenerateParams({ primer }, 'body').primer?.notes).toHaveLength(2);
  });

  it('keeps a note that rounding would make empty a millisecond long, and only the newest notes of a long phrase', () => {
    expect(primerOf([note(60, 1, 1.0004)])).toEqual([{ pitch: 60, start: 0, end: 0.001, velocity: 80 }]);
    const long = Array.from({ length: primerNotesSent + 10 }, (_, i) => note(60 + (i % 12), i * 0.1, i * 0.1 + 0.05));
    const primer = primerOf(long);
    expect(primer).toHaveLength(primerNotesSent);
    expect(primer[0]).toEqual({ pitch: 60 + (10 % 12), start: 0, end: 0.05, velocity: 80 });
  });
});

describe('answerOf', () => {
  it('keeps the notes after the primer\'s last event and moves them so the first sounds at once', () => {
    const primer = primerOf([note(60, 0, 0.5), note(64, 0.5, 1.2)]);
    const piece = [note(60, 0, 0.5), note(64, 0.5, 1.2), note(67, 0.9, 1.3), note(55, 0.9, 1.7, 50), note(72, 1.4, 1.6)];

    expect(answerOf(piece, 0.5, primer, 2)).toEqual([note(55, 0, 0.8, 50), note(67, 0, 0.4), note(72, 0.5, 0.7)]);
  });

  it('at the primer\'s last onset, leaves out the primer\'s own notes (held on by the continuation) and keeps the new ones', () => {
    // The continuation left the primer's last C sounding and struck an E at the same instant (header "1.20").
    const primer = primerOf([note(60, 0, 0.4), note(72, 1.2034, 1.45)]);
    const piece = [note(60, 0, 0.4), note(72, 1.2, 2.1), note(64, 1.2, 1.5), note(67, 1.6, 1.8)];

    expect(answerOf(piece, 1.2, primer, 2)).toEqual([note(64, 0, 0.3), note(67, 0.4, 0.6)]);
  });

  it('answers nothing when nothing is new', () => {
    const primer = primerOf([note(60, 0, 1)]);
    expect(answerOf([note(60, 0, 1.8)], 0, primer, 2)).toEqual([]);
  });

  it('keeps the answer’s length from its first note: the rest the model took before it does not count', () => {
    const primer = primerOf([note(60, 0, 1)]);
    // Asked for 2 s and 2 s more: the model rested 1.5 s, then played for 2.5 s.
    const piece = [note(60, 0, 1), note(64, 2.5, 3), note(67, 4.4, 4.6), note(72, 4.6, 5)];
    expect(answerOf(piece, 1, primer, 2)).toEqual([note(64, 0, 0.5), note(67, 1.9, 2.1)]);
  });
});
