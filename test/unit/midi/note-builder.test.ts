import { describe, expect, it } from 'vitest';
import { NoteBuilder } from '../../../src/midi/note-builder.js';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { manyEmptyTracksFile } from '../../support/hostile-midi.js';

describe('NoteBuilder', () => {
  it('starts each track with no sounding notes, even for a slot the previous track left sounding', () => {
    const builder = new NoteBuilder();
    builder.startTrack();
    builder.noteOn(0, 0, 60, 80);
    builder.endTrack();
    builder.startTrack();
    builder.noteOff(100, 0, 60); // belongs to no note of this track
    builder.noteOn(200, 0, 60, 90);
    builder.noteOff(300, 0, 60);
    builder.endTrack();
    builder.finish(500);

    expect(builder.notes.map(({ startTick, endTick }) => [startTick, endTick])).toEqual([
      [0, 500],
      [200, 300],
    ]);
  });

  it('lists a note left sounding once, however often its slot was reused in the track', () => {
    const builder = new NoteBuilder();
    builder.startTrack();
    builder.noteOn(0, 0, 60, 80);
    builder.noteOff(10, 0, 60);
    builder.noteOn(20, 0, 60, 80);
    builder.noteOff(30, 0, 60);
    builder.noteOn(40, 0, 60, 80);
    builder.endTrack();
    builder.finish(1000);

    expect(builder.notes.map(({ endTick }) => endTick)).toEqual([10, 30, 1000]);
  });

  it('reads 655 k empty tracks (5 MiB) when the track cap is lifted, resetting only the slots a track used', () => {
    const bytes = manyEmptyTracksFile();
    const started = performance.now();
    const sequence = parseMidi(bytes, { maxTracks: Number.POSITIVE_INFINITY });
    const milliseconds = performance.now() - started;

    expect(sequence.notes).toHaveLength(1);
    // Before slots were reset one by one this took ≈2.5 s on a quiet 2-core machine; now ≈0.6 s.
    expect(milliseconds).toBeLessThan(6_000);
  });
});
