import { describe, expect, it } from 'vitest';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import type { NoteSequence } from '../../../src/midi/note-sequence.js';
import {
  chunk,
  endOfTrack,
  midiFile,
  noteOff,
  noteOn,
  riffWrap,
  singleTrackFile,
  sustain,
  tempo,
  trackChunk,
} from '../../support/midi-bytes.js';

/** Notes as [pitch, velocity, start, end] with times rounded to the microsecond. */
const noteRows = (sequence: NoteSequence): number[][] =>
  sequence.notes.map((note) => [note.pitch, note.velocity, +note.startSeconds.toFixed(6), +note.endSeconds.toFixed(6)]);

// At the default 120 BPM and 480 ticks per quarter, 960 ticks are one second.
describe('parseMidi on files built in code', () => {
  it('reads a plain note with its velocity and times', () => {
    const sequence = parseMidi(singleTrackFile(noteOn(480, 0, 60, 90), noteOff(480, 0, 60)));

    expect(noteRows(sequence)).toEqual([[60, 90, 0.5, 1]]);
    expect(sequence.totalSeconds).toBe(1);
  });

  it('holds a note released under the sustain pedal until the pedal lifts', () => {
    const file = singleTrackFile(
      noteOn(0, 0, 60, 80),
      sustain(240, 0, true),
      noteOff(240, 0, 60), // released at 0.5 s, pedal down
      noteOn(0, 0, 64, 80),
      sustain(480, 0, false), // pedal up at 1 s
      noteOff(480, 0, 64), // released at 1.5 s, pedal up: not held
    );

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 80, 0, 1],
      [64, 80, 0.5, 1.5],
    ]);
  });

  it('applies a pedal only to its own channel, but from any track', () => {
    const file = midiFile({
      chunks: [
        trackChunk(sustain(0, 1, true), sustain(1920, 1, false), endOfTrack()),
        trackChunk(noteOn(0, 0, 60, 80), noteOff(480, 0, 60), noteOn(0, 1, 72, 80), noteOff(480, 1, 72), endOfTrack()),
      ],
    });

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 80, 0, 0.5],
      [72, 80, 0.5, 2],
    ]);
  });

  it('holds a note to the end of the file when the pedal never lifts', () => {
    const file = singleTrackFile(sustain(0, 0, true), noteOn(0, 0, 60, 80), noteOff(480, 0, 60), noteOn(960, 0, 62, 80), noteOff(480, 0, 62));

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 80, 0, 2],
      [62, 80, 1.5, 2],
    ]);
  });

  it('ends a note where the same pitch is struck again, pedal or not', () => {
    const file = singleTrackFile(
      noteOn(0, 0, 60, 70),
      noteOn(480, 0, 60, 90), // struck again at 0.5 s without a release
      noteOff(240, 0, 60),
      noteOff(240, 0, 60), // an extra release: ignored
      sustain(0, 0, true),
      noteOn(0, 0, 67, 50),
      noteOff(96, 0, 67), // held by the pedal...
      noteOn(384, 0, 67, 60), // ...until struck again at 1.5 s
      noteOff(96, 0, 67),
      sustain(384, 0, false),
    );

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 70, 0, 0.5],
      [60, 90, 0.5, 0.75],
      [67, 50, 1, 1.5],
      [67, 60, 1.5, 2],
    ]);
  });

  it('ends a note struck again on another channel or track (one string per pitch)', () => {
    const file = midiFile({
      chunks: [
        trackChunk(noteOn(0, 0, 60, 80), noteOff(960, 0, 60), endOfTrack()),
        trackChunk(noteOn(480, 1, 60, 80), noteOff(960, 1, 60), endOfTrack()),
      ],
    });

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 80, 0, 0.5],
      [60, 80, 0.5, 1.5],
    ]);
  });

  it.each([
    ['note-off, then note-on', [noteOff(480, 0, 60), noteOn(0, 0, 60, 90)]],
    ['note-on, then note-off', [noteOn(480, 0, 60, 90), noteOff(0, 0, 60)]],
  ])('keeps back-to-back notes of one pitch whatever the order at the shared tick (%s)', (_, middle) => {
    const file = singleTrackFile(noteOn(0, 0, 60, 70), ...middle, noteOff(480, 0, 60));

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 70, 0, 0.5],
      [60, 90, 0.5, 1],
    ]);
  });

  it('treats a note-on with velocity 0 as a note-off', () => {
    const file = singleTrackFile(noteOn(0, 0, 60, 80), noteOn(480, 0, 60, 0), noteOn(480, 0, 62, 80), noteOn(480, 0, 62, 0));

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 80, 0, 0.5],
      [62, 80, 1, 1.5],
    ]);
  });

  it('reads running status (status byte left out of repeated messages)', () => {
    const events = [0x00, 0x90, 60, 100, 0x00, 64, 100, 0x83, 0x60, 60, 0, 0x00, 64, 0];
    const file = midiFile({ format: 0, chunks: [trackChunk(events, endOfTrack())] });

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 100, 0, 0.5],
      [64, 100, 0, 0.5],
    ]);
  });

  it('follows a tempo change in the middle of the piece, set on another track', () => {
    const file = midiFile({
      chunks: [
        trackChunk(tempo(0, 500_000), tempo(960, 1_000_000), endOfTrack()), // 120 BPM, then 60 BPM at 1 s
        trackChunk(noteOn(480, 0, 60, 80), noteOff(480, 0, 60), noteOn(0, 0, 62, 80), noteOff(480, 0, 62), endOfTrack()),
      ],
    });

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 80, 0.5, 1],
      [62, 80, 1, 2],
    ]);
  });

  it('skips unknown chunks anywhere in the file', () => {
    const file = midiFile({
      chunks: [chunk('XFIH', [1, 2, 3]), trackChunk(noteOn(0, 0, 60, 80), noteOff(960, 0, 60), endOfTrack()), chunk('Junk', [9])],
    });

    expect(noteRows(parseMidi(file))).toEqual([[60, 80, 0, 1]]);
  });

  it('times SMPTE files in frames and ignores tempo', () => {
    const twentyFiveFramesOfForty = 0xe728; // -25 frames/s × 40 ticks = 1000 ticks/s
    const file = midiFile({
      format: 0,
      division: twentyFiveFramesOfForty,
      chunks: [trackChunk(tempo(0, 1_000_000), noteOn(250, 0, 60, 80), noteOff(500, 0, 60), endOfTrack())],
    });

    expect(noteRows(parseMidi(file))).toEqual([[60, 80, 0.25, 0.75]]);
  });

  it('reads format 2 (independent sequences) by merging them from the start', () => {
    const file = midiFile({
      format: 2,
      chunks: [
        trackChunk(noteOn(0, 0, 60, 80), noteOff(960, 0, 60), endOfTrack()),
        trackChunk(noteOn(480, 0, 67, 80), noteOff(480, 0, 67), endOfTrack()),
      ],
    });

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 80, 0, 1],
      [67, 80, 0.5, 1],
    ]);
  });

  it('holds notes never released until the end of the file', () => {
    const file = midiFile({
      chunks: [
        trackChunk(noteOn(0, 0, 60, 80), endOfTrack(1920)),
        trackChunk(noteOn(480, 0, 67, 80)), // no End of Track at all
        trackChunk(noteOn(0, 0, 72, 80), noteOff(2880, 0, 72), endOfTrack()),
      ],
    });

    expect(noteRows(parseMidi(file))).toEqual([
      [60, 80, 0, 3],
      [72, 80, 0, 3],
      [67, 80, 0.5, 3],
    ]);
  });

  it('drops notes released at the tick they start', () => {
    const file = singleTrackFile(noteOn(0, 0, 60, 80), noteOff(0, 0, 60), noteOn(0, 0, 64, 80), noteOff(960, 0, 64));

    expect(noteRows(parseMidi(file))).toEqual([[64, 80, 0, 1]]);
  });

  it('accepts empty tracks, an empty chunk included', () => {
    const file = midiFile({
      chunks: [trackChunk(endOfTrack()), chunk('MTrk', []), trackChunk(noteOn(0, 0, 60, 80), noteOff(960, 0, 60), endOfTrack())],
    });

    expect(noteRows(parseMidi(file))).toEqual([[60, 80, 0, 1]]);
  });

  it('leaves out percussion on channel 10 and keeps the rest', () => {
    const file = singleTrackFile(noteOn(0, 9, 36, 100), noteOn(0, 0, 60, 80), noteOff(960, 9, 36), noteOff(0, 0, 60));

    expect(noteRows(parseMidi(file))).toEqual([[60, 80, 0, 1]]);
  });

  it('unwraps a RIFF "RMID" (.rmi) file', () => {
    const smf = singleTrackFile(noteOn(0, 0, 60, 80), noteOff(960, 0, 60));

    expect(parseMidi(riffWrap(smf))).toEqual(parseMidi(smf));
  });

  it('ignores what follows End of Track and junk after the declared tracks', () => {
    const track = trackChunk(noteOn(0, 0, 60, 80), noteOff(960, 0, 60), endOfTrack(), [0x00, 0xf4, 0x01]);
    const file = new Uint8Array([...midiFile({ format: 0, chunks: [track] }), 0, 0, 0]);

    expect(noteRows(parseMidi(file))).toEqual([[60, 80, 0, 1]]);
  });

  it('sorts notes by start, then pitch', () => {
    const file = singleTrackFile(noteOn(0, 0, 67, 80), noteOn(0, 0, 60, 80), noteOff(960, 0, 60), noteOff(0, 0, 67), noteOn(0, 0, 48, 80), noteOff(10, 0, 48));

    expect(parseMidi(file).notes.map((note) => note.pitch)).toEqual([60, 67, 48]);
  });
});
