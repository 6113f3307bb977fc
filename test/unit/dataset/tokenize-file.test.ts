import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tokenizeMidiFile } from '../../../src/dataset/tokenize-file.js';
import { NotesChordsVocabulary, notesChordsTokenizer, performanceTokenizer } from '../../../src/tokens/index.js';
import { endOfTrack, midiFile, noteOff, noteOn, trackChunk } from '../../support/midi-bytes.js';

const cMajor = midiFile({ format: 0, chunks: [trackChunk(noteOn(0, 0, 60, 80), noteOn(0, 0, 64, 80), noteOff(480, 0, 60), noteOff(0, 0, 64), endOfTrack())] });

describe('tokenizeMidiFile', () => {
  it('returns the tokens and metadata of a good file, addressed by the sha256 of its bytes', () => {
    const result = tokenizeMidiFile(cMajor, 'uploads/c.mid', performanceTokenizer, { piece: 'Etude' });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.meta).toEqual({
      schemaVersion: 1,
      digest: createHash('sha256').update(cMajor).digest('hex'),
      source: 'uploads/c.mid',
      tokenizer: 'performance',
      notes: 2,
      seconds: 0.5,
      events: result.tokens.length,
      piece: 'Etude',
    });
    expect(performanceTokenizer.decode(result.tokens).notes.map((note) => note.pitch)).toEqual([60, 64]);
  });

  it.each([
    ['random bytes', Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256), 'not-midi'],
    ['a header cut short', cMajor.subarray(0, 10), 'truncated'],
    ['a track cut short', cMajor.subarray(0, cMajor.length - 6), 'truncated'],
    ['no notes', midiFile({ chunks: [trackChunk(endOfTrack())] }), 'no-notes'],
    ['nothing at all', new Uint8Array(0), 'not-midi'],
  ])('rejects %s with a code and message instead of throwing', (_, bytes, code) => {
    const result = tokenizeMidiFile(bytes, 'bad.mid', performanceTokenizer);

    expect(result).toMatchObject({ ok: false, code, digest: createHash('sha256').update(bytes).digest('hex') });
    expect(!result.ok && result.message.length).toBeGreaterThan(5);
  });

  it('grows a notes-chords vocabulary with the symbols of the file before encoding', () => {
    const vocabulary = new NotesChordsVocabulary();

    const result = tokenizeMidiFile(cMajor, 'c.mid', notesChordsTokenizer(vocabulary), { vocabulary });

    expect(vocabulary.idOf('60.64')).toBeDefined();
    expect(result.ok && Array.from(result.tokens)).toContain(vocabulary.idOf('60.64'));
  });
});
