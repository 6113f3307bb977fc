import { describe, expect, it } from 'vitest';
import { MidiError, type MidiErrorCode } from '../../../src/midi/midi-error.js';
import { defaultMidiLimits, parseMidi, type MidiLimits } from '../../../src/midi/parse-midi.js';
import { manyEmptyTracksFile } from '../../support/hostile-midi.js';
import { chunk, endOfTrack, midiFile, noteOff, noteOn, singleTrackFile, trackChunk } from '../../support/midi-bytes.js';

const validFile = singleTrackFile(noteOn(0, 0, 60, 80), noteOff(960, 0, 60));

/** The code of the MidiError that parsing throws, failing the test for any other outcome. */
function rejectionOf(bytes: Uint8Array, limits?: Partial<MidiLimits>): { code: MidiErrorCode; message: string } {
  try {
    parseMidi(bytes, limits);
  } catch (error) {
    if (error instanceof MidiError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected parseMidi to reject the file, but it was accepted');
}

const headerOnly = (format: number, division: number): number[] => [...midiFile({ format, division, chunks: [] })];

describe('parseMidi refuses a hostile number of tracks early', () => {
  it('rejects 655 k empty track chunks (5 MiB) as too-many-tracks before reading them', () => {
    const bytes = manyEmptyTracksFile();
    const started = performance.now();
    const { code, message } = rejectionOf(bytes);
    expect(code).toBe('too-many-tracks');
    expect(message).toMatch(/over 65535/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('parseMidi rejects broken files with a typed reason', () => {
  it.each<[string, Uint8Array, MidiErrorCode, RegExp]>([
    ['no bytes at all', new Uint8Array(), 'not-midi', /not a MIDI file/],
    ['text', new TextEncoder().encode('<html>hello</html>'), 'not-midi', /not a MIDI file/],
    ['a RIFF file that is not RMID', new TextEncoder().encode('RIFF\x04\x00\x00\x00WAVEfmt '), 'not-midi', /not a MIDI file/],
    ['a header cut short', validFile.subarray(0, 10), 'truncated', /truncated header/],
    ['a track cut short', validFile.subarray(0, validFile.length - 3), 'truncated', /declares \d+ bytes but only \d+ remain/],
    ['a file ending inside a track header', new Uint8Array([...headerOnly(0, 480).slice(0, 10), 0, 1, 1, 0xe0, 0x4d, 0x54]), 'truncated', /track 1/],
    ['format 3', new Uint8Array([...headerOnly(3, 480), ...trackChunk(endOfTrack())]), 'bad-header', /format 3/],
    ['0 ticks per quarter', new Uint8Array([...headerOnly(0, 0), ...trackChunk(endOfTrack())]), 'bad-header', /0 ticks/],
    ['an SMPTE rate of 16 frames/s', new Uint8Array([...headerOnly(0, 0xf060), ...trackChunk(endOfTrack())]), 'bad-header', /16 frames/],
    ['a header chunk of 4 bytes', new Uint8Array([...chunk('MThd', [0, 0, 0, 1]), 0, 0, ...trackChunk(endOfTrack())]), 'bad-header', /4 bytes/],
    ['no track chunk', midiFile({ declaredTracks: 0, chunks: [chunk('XFIH', [1])] }), 'bad-track', /no "MTrk"/],
    ['a damaged track id', midiFile({ declaredTracks: 1, chunks: [chunk('mTrk', endOfTrack())] }), 'bad-track', /"mTrk"/],
    ['garbage where a track should be', midiFile({ declaredTracks: 1, chunks: [[0, 1, 2, 3, 0, 0, 0, 0]] }), 'bad-track', /unreadable/],
    ['an event past the end of its track', midiFile({ chunks: [trackChunk([0x00, 0x90, 60])] }), 'bad-track', /past the end/],
    ['running status with no status before', midiFile({ chunks: [trackChunk([0x00, 60, 80], endOfTrack())] }), 'bad-track', /running status/],
    ['a real-time byte inside a track', midiFile({ chunks: [trackChunk([0x00, 0xf8], endOfTrack())] }), 'bad-track', /0xf8/],
    ['a five-byte delta time', midiFile({ chunks: [trackChunk([0x81, 0x81, 0x81, 0x81, 0x01, 0xff, 0x2f, 0])] }), 'bad-track', /longer than 4 bytes/],
    ['a status byte where data belongs', midiFile({ chunks: [trackChunk([0x00, 0x90, 60, 0x90], endOfTrack())] }), 'bad-track', /high bit/],
    ['only an empty track', midiFile({ chunks: [trackChunk(endOfTrack())] }), 'no-notes', /plays no notes/],
    ['only drums', singleTrackFile(noteOn(0, 9, 36, 100), noteOff(96, 9, 36)), 'no-notes', /percussion/],
  ])('%s', (_, bytes, code, message) => {
    const rejection = rejectionOf(bytes);

    expect(rejection.code).toBe(code);
    expect(rejection.message).toMatch(message);
  });
});

describe('parseMidi bounds the work', () => {
  it('has the documented default limits', () => {
    expect(defaultMidiLimits).toEqual({ maxBytes: 16 * 1024 * 1024, maxEvents: 2_000_000, maxSeconds: 4 * 3600, maxTracks: 65_535 });
  });

  it('refuses a file over the byte limit before reading it', () => {
    expect(rejectionOf(validFile, { maxBytes: validFile.length - 1 }).code).toBe('too-large');
    expect(parseMidi(validFile, { maxBytes: validFile.length }).notes).toHaveLength(1);
  });

  it('stops reading past the event limit, counted over all tracks', () => {
    const twoTracks = midiFile({ chunks: [trackChunk(noteOn(0, 0, 60, 80), endOfTrack()), trackChunk(noteOff(960, 0, 60), endOfTrack())] });

    expect(rejectionOf(twoTracks, { maxEvents: 3 })).toMatchObject({ code: 'too-many-events', message: expect.stringMatching(/more than 3/) });
    expect(parseMidi(twoTracks, { maxEvents: 4 }).notes).toHaveLength(1);
  });

  it('refuses music longer than the time limit, default 4 hours', () => {
    const fiveHoursOfOneNote = singleTrackFile(noteOn(0, 0, 60, 80), noteOff(5 * 3600 * 960, 0, 60));

    expect(rejectionOf(validFile, { maxSeconds: 0.5 }).code).toBe('too-long');
    expect(rejectionOf(fiveHoursOfOneNote).code).toBe('too-long');
  });

  it('reads a file of half a million events in a few seconds, even on a busy machine', () => {
    const noteCount = 250_000;
    const events = new Uint8Array(noteCount * 8);
    for (let index = 0; index < noteCount; index++) {
      events.set([...noteOn(1, 0, 40 + (index % 40), 80), ...noteOff(1, 0, 40 + (index % 40))], index * 8);
    }
    const file = midiFile({ format: 0, chunks: [chunk('MTrk', [...events, ...endOfTrack()])] });

    const started = performance.now();
    const sequence = parseMidi(file);

    expect(sequence.notes).toHaveLength(noteCount);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('rejects a limit that is not a positive number as a programming error', () => {
    expect(() => parseMidi(validFile, { maxEvents: 0 })).toThrow(RangeError);
  });
});
