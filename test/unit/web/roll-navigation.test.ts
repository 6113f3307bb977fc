import { describe, expect, it } from 'vitest';
import type { RecordedNote } from '../../../web/midi-messages.js';
import { noteAfterKey } from '../../../web/roll-navigation.js';

const note = (pitch: number, startSeconds: number): RecordedNote => ({ pitch, velocity: 64, startSeconds, endSeconds: startSeconds + 0.5 });

// Given out of order, as a piece's notes may be: a C-major chord at 1 s, then E4 at 2 s and G3 at 3 s.
const c4 = note(60, 1);
const e4 = note(64, 1);
const g4 = note(67, 1);
const e4Later = note(64, 2);
const g3 = note(55, 3);
const notes = [e4Later, g4, g3, c4, e4];

describe('noteAfterKey', () => {
  it('starts at the first note of the piece from nothing selected, whatever the key but End', () => {
    expect(['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home'].map((key) => noteAfterKey(notes, undefined, key))).toEqual(Array(5).fill(c4));
    expect(noteAfterKey(notes, undefined, 'End')).toBe(g3);
  });

  it('steps through the notes in time with Right and Left, a chord from low to high, and stops at either end', () => {
    const walk = [c4];
    while (walk.length < 6) walk.push(noteAfterKey(notes, walk.at(-1), 'ArrowRight')!);
    expect(walk).toEqual([c4, e4, g4, e4Later, g3, g3]);
    expect(noteAfterKey(notes, e4, 'ArrowLeft')).toBe(c4);
    expect(noteAfterKey(notes, c4, 'ArrowLeft')).toBe(c4);
  });

  it('goes to the nearest note in time above or below with Up and Down, and stays where there is none', () => {
    expect(noteAfterKey(notes, c4, 'ArrowUp')).toBe(e4);
    expect(noteAfterKey(notes, e4Later, 'ArrowUp')).toBe(g4);
    // C4 and G3 are both a second away: the nearer pitch wins.
    expect(noteAfterKey(notes, e4Later, 'ArrowDown')).toBe(c4);
    expect(noteAfterKey(notes, g3, 'ArrowUp')).toBe(e4Later);
    expect(noteAfterKey(notes, g3, 'ArrowDown')).toBe(g3);
    expect(noteAfterKey(notes, g4, 'ArrowUp')).toBe(g4);
  });

  it('has nothing to select in an empty roll', () => {
    expect(noteAfterKey([], undefined, 'ArrowRight')).toBeUndefined();
  });
});
