import { describe, expect, it } from 'vitest';
import { adoptTokens, createTokenizePool } from '../../../src/dataset/tokenize-pool.js';
import { NotesChordsVocabulary, notesChordsTokenizer } from '../../../src/tokens/index.js';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { endOfTrack, midiFile, noteOff, noteOn, trackChunk } from '../../support/midi-bytes.js';

/** A short piece: `chords` struck one after another, an eighth note each at 120 bpm. */
const piece = (...chords: number[][]) =>
  midiFile({
    format: 0,
    chunks: [
      trackChunk(
        ...chords.flatMap((pitches) => [
          ...pitches.map((pitch) => noteOn(0, 0, pitch, 90)),
          ...pitches.map((pitch, i) => noteOff(i === 0 ? 240 : 0, 0, pitch)),
        ]),
        endOfTrack(),
      ),
    ],
  });

describe('adoptTokens', () => {
  it('rewrites worker ids as ids of the dataset vocabulary, appending unknown symbols', () => {
    const vocabulary = new NotesChordsVocabulary();
    vocabulary.add('64');
    const tokens = Uint16Array.of(1, 0, 2, 1);

    adoptTokens(tokens, ['rest', '60.64', '64'], vocabulary);

    expect(Array.from(tokens)).toEqual([2, 0, 1, 2]);
    expect(vocabulary.symbolOf(2)).toBe('60.64');
  });
});

describe('createTokenizePool', () => {
  it('tokenizes in two workers; notes-chords ids, once adopted, decode to the notes of each file', async () => {
    const files = [piece([60], [62, 65], [64]), piece([70, 74], [60]), piece([62, 65], [71]), new Uint8Array([1, 2, 3])];
    const pool = await createTokenizePool({ jobs: 2, tokenizer: 'notes-chords' });
    try {
      const vocabulary = new NotesChordsVocabulary();
      const tokenizer = notesChordsTokenizer(vocabulary);

      const results = await Promise.all(files.map((bytes, i) => pool.tokenize(bytes.slice(), `f${i}.mid`)));

      for (const [i, { result, workerSymbols }] of results.entries()) {
        if (!result.ok) {
          expect(i).toBe(3);
          expect(result.code).toBe('not-midi');
          continue;
        }
        adoptTokens(result.tokens, workerSymbols!, vocabulary);
        const pitches = tokenizer.decode(result.tokens).notes.map((note) => note.pitch);
        expect(pitches).toEqual(parseMidi(files[i]!).notes.map((note) => note.pitch));
      }
    } finally {
      await pool.close();
    }
  });
});
