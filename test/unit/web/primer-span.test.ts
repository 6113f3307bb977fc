import { describe, expect, it } from 'vitest';
import type { RecordedNote } from '../../../web/midi-messages.js';
import { primerEndInPiece } from '../../../web/primer-span.js';

const note = (pitch: number, startSeconds: number, endSeconds: number): RecordedNote => ({ pitch, velocity: 64, startSeconds, endSeconds });

describe('primerEndInPiece', () => {
  it('is 0 without a primer', () => {
    expect(primerEndInPiece([], [note(60, 0, 1)])).toBe(0);
  });

  it('ends where the primer\'s last note ends when the piece starts with the whole primer', () => {
    const primer = [note(60, 0, 0.5), note(64, 0.5, 1), note(67, 1, 1.4)];
    const piece = [...primer, note(72, 1.5, 2), note(67, 2, 2.5)];

    expect(primerEndInPiece(primer, piece)).toBe(1.4);
  });

  it('finds the primer\'s kept tail when the server dropped its beginning, not a later note of the same pitch', () => {
    const primer = [note(50, 0, 1), note(60, 10, 10.5), note(62, 10.5, 11), note(64, 11, 11.2)];
    // The piece keeps the last three primer notes from 0 s (quantised by 10 ms), then repeats pitch 64 later.
    const piece = [note(60, 0, 0.5), note(62, 0.51, 1), note(64, 1, 1.2), note(64, 3, 3.5), note(55, 3.2, 4)];

    expect(primerEndInPiece(primer, piece)).toBe(1.2);
  });
});
