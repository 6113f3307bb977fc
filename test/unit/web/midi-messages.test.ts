import { describe, expect, it } from 'vitest';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { midiFileOf, noteMessages, PrimerRecorder, silenceMessages, type RecordedNote } from '../../../web/midi-messages.js';

const note = (pitch: number, startSeconds: number, endSeconds: number, velocity = 80): RecordedNote => ({ pitch, velocity, startSeconds, endSeconds });

describe('noteMessages', () => {
  it('sends note-on and note-off bytes at the notes\' times, a release before a strike at the same moment', () => {
    const messages = noteMessages([note(60, 0, 0.5, 90), note(60, 0.5, 1, 70)], 1000, 2);

    expect(messages).toEqual([
      { data: [0x92, 60, 90], timestamp: 1000 },
      { data: [0x82, 60, 0], timestamp: 1500 },
      { data: [0x92, 60, 70], timestamp: 1500 },
      { data: [0x82, 60, 0], timestamp: 2000 },
    ]);
  });

  it('keeps velocities in 1..127 so a strike is never read as a release', () => {
    const [on] = noteMessages([note(40, 0, 1, 0)], 0);
    expect(on!.data).toEqual([0x90, 40, 1]);
  });
});

describe('silenceMessages', () => {
  it('lifts the pedal and ends all notes on each of the 16 channels', () => {
    const messages = silenceMessages();
    expect(messages).toHaveLength(32);
    expect(messages).toContainEqual([0xbf, 123, 0]);
    expect(messages).toContainEqual([0xb0, 64, 0]);
  });
});

describe('PrimerRecorder', () => {
  it('turns key presses into notes timed from the first key, note-on with velocity 0 as a release', () => {
    const recorder = new PrimerRecorder();

    recorder.receive([0x90, 60, 100], 5000);
    recorder.receive([0x90, 64, 50], 5250);
    recorder.receive([0x80, 60, 0], 5500);
    recorder.receive([0x90, 64, 0], 6000);

    expect(recorder.notes(7000)).toEqual([note(60, 0, 0.5, 100), note(64, 0.25, 1, 50)]);
  });

  it('holds keys released under the sustain pedal until the pedal comes up', () => {
    const recorder = new PrimerRecorder();

    recorder.receive([0x90, 48, 80], 0);
    recorder.receive([0xb0, 64, 127], 100);
    recorder.receive([0x80, 48, 0], 200);
    recorder.receive([0xb0, 64, 0], 900);

    expect(recorder.notes(1000)).toEqual([note(48, 0, 0.9)]);
  });

  it('ends a key still held at the time asked, and ignores messages that are not notes or the pedal', () => {
    const recorder = new PrimerRecorder();

    recorder.receive([0xe0, 0, 64], 0);
    recorder.receive([0x90, 72, 64], 1000);

    expect(recorder.notes(3000)).toEqual([note(72, 0, 2, 64)]);
  });
});

describe('midiFileOf', () => {
  it('writes a Standard MIDI File that the project\'s own reader parses back to the same notes', () => {
    const notes = [note(60, 0, 0.5, 100), note(64, 0.25, 1.25, 45), note(67, 1, 3.5, 127), note(60, 0.5, 0.75, 10)];

    const parsed = parseMidi(midiFileOf(notes));

    const simplified = parsed.notes.map((n) => ({ pitch: n.pitch, velocity: n.velocity, startSeconds: n.startSeconds, endSeconds: n.endSeconds }));
    const expected = [...notes].sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch);
    expect(simplified).toHaveLength(expected.length);
    for (const [index, want] of expected.entries()) {
      const got = simplified.find((candidate) => candidate.pitch === want.pitch && Math.abs(candidate.startSeconds - want.startSeconds) < 1e-3)!;
      expect(got, `note ${index}`).toBeDefined();
      expect(got.velocity).toBe(want.velocity);
      expect(got.endSeconds).toBeCloseTo(want.endSeconds, 3);
    }
  });
});
