import { describe, expect, it } from 'vitest';
import type { Note } from '../../src/midi/note-sequence.js';
import { parseMidi } from '../../src/midi/parse-midi.js';
import { defaultModelDir } from '../../src/model/committed-models.js';
import { loadModel } from '../../src/model/model-files.js';
import { tokenizerOf } from '../../src/model/model-tokenizer.js';
import { createSampler } from '../../src/model/sampler.js';
import { composePiece } from '../../src/pipeline/generate-piece.js';
import { parseGenerateParams } from '../../src/pipeline/generate-params.js';
import { FsStore } from '../../src/store/fs-store.js';

/** Shortest time between two strikes of one key, in seconds. */
function fastestRestrike(notes: readonly Note[]): number {
  const lastStrike = new Map<number, number>();
  let fastest = Infinity;
  for (const note of [...notes].sort((a, b) => a.startSeconds - b.startSeconds)) {
    const last = lastStrike.get(note.pitch);
    if (last !== undefined) fastest = Math.min(fastest, note.startSeconds - last);
    lastStrike.set(note.pitch, note.startSeconds);
  }
  return fastest;
}

/** Longest stretch with no note sounding, from the start to the last note's end. */
function longestSilence(notes: readonly Note[]): number {
  let covered = 0;
  let longest = 0;
  for (const note of [...notes].sort((a, b) => a.startSeconds - b.startSeconds)) {
    longest = Math.max(longest, note.startSeconds - covered);
    covered = Math.max(covered, note.endSeconds);
  }
  return longest;
}

describe('the committed default model through the generate use case (real model, real MIDI)', () => {
  it('plays as a pianist can: no key twice within 50 ms, no silence over 2 s, no note over 5 s', async () => {
    const model = await loadModel(new FsStore(defaultModelDir), '');
    const tokenizer = tokenizerOf(model.manifest);
    const served = { runId: 'default', model, tokenizer, sampler: createSampler(model, tokenizer) };
    // Unsteered, and the slow soft request whose pieces fell silent for up to 8.5 s before the silence cap.
    const requests = [{}, { density: '4', dynamics: 'p', style: 'Chopin', key: 'Dm' }];
    for (const request of requests) {
      for (const seed of [5, 12]) {
        const piece = composePiece(served, parseGenerateParams({ seconds: '30', seed: String(seed), ...request }, 'query'), { deadline: Date.now() + 60_000 });
        const { notes } = parseMidi(piece.midi);
        expect(notes.length).toBeGreaterThan(30);
        expect(fastestRestrike(notes)).toBeGreaterThanOrEqual(0.05 - 1e-6);
        expect(longestSilence(notes)).toBeLessThanOrEqual(2 + 1e-6);
        expect(Math.max(...notes.map((note) => note.endSeconds - note.startSeconds))).toBeLessThanOrEqual(5 + 1e-6);
      }
    }
  });
});
