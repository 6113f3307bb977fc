import { describe, expect, it } from 'vitest';
import type { Note } from '../../../src/midi/note-sequence.js';
import { matchNotes } from './match-notes.js';

function note(pitch: number, startSeconds: number, velocity = 80): Note {
  return { pitch, velocity, startSeconds, endSeconds: startSeconds + 0.1 };
}

describe('matchNotes (the corpus round trip judge)', () => {
  it.each<[string, Note[], Note[], { matched: number; wrongVelocity: number; extra: number }]>([
    ['identical notes', [note(60, 0), note(64, 1)], [note(60, 0), note(64, 1)], { matched: 2, wrongVelocity: 0, extra: 0 }],
    ['an onset moved beyond the tolerance', [note(60, 0)], [note(60, 0.02)], { matched: 0, wrongVelocity: 0, extra: 1 }],
    ['another pitch', [note(60, 0)], [note(61, 0)], { matched: 0, wrongVelocity: 0, extra: 1 }],
    ['another velocity bin', [note(60, 0, 80)], [note(60, 0, 84)], { matched: 0, wrongVelocity: 1, extra: 0 }],
    ['one decoded note cannot serve two originals', [note(60, 0), note(60, 0.005)], [note(60, 0)], { matched: 1, wrongVelocity: 0, extra: 0 }],
    ['the nearest candidate wins', [note(60, 0.004, 80), note(60, 0.012, 40)], [note(60, 0.01, 40), note(60, 0, 80)], { matched: 2, wrongVelocity: 0, extra: 0 }],
  ])('%s', (_, original, decoded, expected) => {
    expect(matchNotes(original, decoded, 0.01)).toEqual({ ...expected, total: original.length });
  });
});
