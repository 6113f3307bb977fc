import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tonejs from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import type { Note } from '../../../src/midi/note-sequence.js';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { writeMidi } from '../../../src/midi/write-midi.js';
import { performanceMidi } from '../../support/performance-midi.js';
import { explainMissingSharedData, hasSharedData, midiEdgeDir, pianoTrainDir } from '../../support/shared-data.js';

/**
 * Three generated performances everywhere (tempo change, pedal, two hands), and where ../shared/data is present every
 * 80th performance of the training corpus too: five real pieces, a few seconds of test time.
 */
const samples: [name: string, bytes: Uint8Array][] = [
  ...[1, 2, 3].map((seed): [string, Uint8Array] => [`generated performance ${seed}`, performanceMidi({ seed })]),
  ...(hasSharedData ? readdirSync(pianoTrainDir).filter((file) => file.endsWith('.mid')).sort().filter((_, index) => index % 80 === 0) : []).map(
    (file): [string, Uint8Array] => [file, readFileSync(join(pianoTrainDir, file))],
  ),
];
const onlyReal = explainMissingSharedData('the golden tests on real performances and on midly__Beethoven.rmi and TheEntertainer.mid of midi-edge');

/** Note onsets as "pitch@milliseconds/velocity", the part of a note that the sustain pedal never moves. */
const onsetKeys = (notes: { pitch: number; velocity: number; startSeconds: number }[]): string[] =>
  notes.map((note) => `${note.pitch}@${Math.round(note.startSeconds * 1000)}/${note.velocity}`).sort();

/** Onsets as @tonejs/midi reads them: an independent pairing of note-on and note-off. */
function tonejsOnsets(bytes: Uint8Array): string[] {
  const midi = new tonejs.Midi(bytes);
  const notes = midi.tracks
    .filter((track) => !track.instrument.percussion)
    .flatMap((track) => track.notes.map((note) => ({ pitch: note.midi, velocity: Math.round(note.velocity * 127), startSeconds: note.time })));
  return onsetKeys(notes);
}

const sharedCount = (ours: string[], theirs: string[]): number => {
  const remaining = new Map<string, number>();
  for (const key of theirs) remaining.set(key, (remaining.get(key) ?? 0) + 1);
  return ours.filter((key) => {
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    return left > 0;
  }).length;
};

describe('parseMidi on piano performances', () => {
  it.each(samples)('%s reads as a sane piano performance', (_, bytes) => {
    const sequence = parseMidi(bytes);
    const { notes } = sequence;

    expect(notes.length).toBeGreaterThan(100);
    expect(sequence.totalSeconds).toBeGreaterThan(10);
    expect(notes.length / sequence.totalSeconds).toBeLessThan(60);
    for (const [index, note] of notes.entries()) {
      expect(note.pitch).toBeGreaterThanOrEqual(21);
      expect(note.pitch).toBeLessThanOrEqual(108);
      expect(note.velocity).toBeGreaterThanOrEqual(1);
      expect(note.velocity).toBeLessThanOrEqual(127);
      expect(note.endSeconds).toBeGreaterThan(note.startSeconds);
      expect(note.endSeconds).toBeLessThanOrEqual(sequence.totalSeconds);
      const previous = notes[index - 1];
      if (previous !== undefined) {
        expect(previous.startSeconds < note.startSeconds || (previous.startSeconds === note.startSeconds && previous.pitch < note.pitch)).toBe(true);
      }
    }
  });

  it.each(samples)('%s has the note onsets @tonejs/midi finds (golden, at least 99.9 percent)', (_, bytes) => {
    const ours = onsetKeys(parseMidi(bytes).notes);
    const theirs = tonejsOnsets(bytes);

    expect(sharedCount(ours, theirs) / theirs.length).toBeGreaterThanOrEqual(0.999);
    expect(ours.length).toBeLessThanOrEqual(theirs.length);
  });

  it.skipIf(onlyReal)('TheEntertainer.mid of midi-edge has the note onsets @tonejs/midi finds (golden, at least 99.9 percent)', () => {
    const bytes = readFileSync(join(midiEdgeDir, 'tonejs_midi__TheEntertainer.mid'));

    const ours = onsetKeys(parseMidi(bytes).notes);
    const theirs = tonejsOnsets(bytes);

    expect(sharedCount(ours, theirs) / theirs.length).toBeGreaterThanOrEqual(0.999);
    expect(ours.length).toBeLessThanOrEqual(theirs.length);
  });

  it.skipIf(onlyReal)('reads the RIFF-wrapped Beethoven.rmi with the pitches and onsets @tonejs/midi finds in its unwrapped data', () => {
    const rmi = readFileSync(join(midiEdgeDir, 'midly__Beethoven.rmi'));
    const smf = rmi.subarray(rmi.indexOf('MThd'));
    // An orchestral file: instruments doubling a pitch at one moment become one piano note, so compare distinct onsets.
    const distinctPitchOnsets = (keys: string[]): string[] => [...new Set(keys.map((key) => key.split('/')[0]))].sort();

    expect(distinctPitchOnsets(onsetKeys(parseMidi(rmi).notes))).toEqual(distinctPitchOnsets(tonejsOnsets(smf)));
  });

  it.each(samples)('%s survives writeMidi → parseMidi (pitch, velocity, times within one tick)', (_, bytes) => {
    const original = parseMidi(bytes);
    const tickSeconds = 1 / 960; // writeMidi defaults: 480 ticks per quarter at 120 BPM

    const reread = parseMidi(writeMidi(original));

    const byTickThenPitch = (notes: Note[]): Note[] =>
      [...notes].sort((a, b) => Math.round(a.startSeconds / tickSeconds) - Math.round(b.startSeconds / tickSeconds) || a.pitch - b.pitch);
    const expected = byTickThenPitch(original.notes);
    expect(reread.notes).toHaveLength(expected.length);
    reread.notes.forEach((note, index) => {
      expect(note.pitch).toBe(expected[index].pitch);
      expect(note.velocity).toBe(expected[index].velocity);
      expect(Math.abs(note.startSeconds - expected[index].startSeconds)).toBeLessThanOrEqual(tickSeconds);
      expect(Math.abs(note.endSeconds - expected[index].endSeconds)).toBeLessThanOrEqual(tickSeconds);
    });
  });
});
