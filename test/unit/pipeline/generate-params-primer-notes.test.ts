import { beforeAll, describe, expect, it } from 'vitest';
import { writeMidi } from '../../../src/midi/write-midi.js';
import { generatePiece } from '../../../src/pipeline/generate-piece.js';
import { generateLimits, parseGenerateParams, type PrimerNote } from '../../../src/pipeline/generate-params.js';
import { ModelCache } from '../../../src/pipeline/model-cache.js';
import { RequestError } from '../../../src/pipeline/request-errors.js';
import { publishLatest, saveTinyModel } from '../../../fixtures/published-model.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

/** A short phrase as a light client sends it; times on 1/8 s so a MIDI file holds them exactly. */
const phrase: PrimerNote[] = [
  { pitch: 60, start: 0, end: 0.375, velocity: 90 },
  { pitch: 64, start: 0.5, end: 0.875, velocity: 70 },
  { pitch: 67, start: 1, end: 1.75, velocity: 100 },
  { pitch: 48, start: 1, end: 2, velocity: 50 },
];

function refusal(primer: unknown): RequestError {
  try {
    parseGenerateParams({ primer, seconds: 2 }, 'body');
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error(`accepted primer ${JSON.stringify(primer)}`);
}

const withNote = (index: number, note: unknown) => phrase.map((each, i) => (i === index ? note : each));

describe('parseGenerateParams: a primer of JSON notes', () => {
  it('reads the notes as the sequence a MIDI primer parses to: seconds, sorted by onset then pitch', () => {
    const { primer } = parseGenerateParams({ primer: [phrase[2], phrase[0], phrase[3], phrase[1]] }, 'body');
    expect(primer).toEqual({
      totalSeconds: 2,
      notes: [
        { pitch: 60, velocity: 90, startSeconds: 0, endSeconds: 0.375 },
        { pitch: 64, velocity: 70, startSeconds: 0.5, endSeconds: 0.875 },
        { pitch: 48, velocity: 50, startSeconds: 1, endSeconds: 2 },
        { pitch: 67, velocity: 100, startSeconds: 1, endSeconds: 1.75 },
      ],
    });
  });

  describe.each([
    ['a pitch above 127', withNote(1, { ...phrase[1], pitch: 128 }), 'primer[1].pitch', /whole number from 0 to 127.*got 128$/],
    ['a fractional pitch', withNote(0, { ...phrase[0], pitch: 60.5 }), 'primer[0].pitch', /got 60\.5$/],
    ['velocity 0', withNote(2, { ...phrase[2], velocity: 0 }), 'primer[2].velocity', /from 1 to 127; got 0$/],
    ['a negative start', withNote(0, { ...phrase[0], start: -0.1 }), 'primer[0].start', /from 0 to 600; got -0\.1$/],
    ['an end before its start', withNote(3, { ...phrase[3], end: 0.5 }), 'primer[3].end', /greater than start .*got 0\.5 \(start 1\)$/],
    ['an end equal to its start', withNote(3, { ...phrase[3], end: 1 }), 'primer[3].end', /got 1 \(start 1\)$/],
    ['an end past the length cap', withNote(0, { ...phrase[0], end: generateLimits.primerSeconds + 1 }), 'primer[0].end', /at most 600; got 601/],
    ['a missing field', withNote(1, { pitch: 60, start: 0, end: 1 }), 'primer[1].velocity', /got nothing$/],
    ['a time given as text', withNote(2, { ...phrase[2], start: '1' }), 'primer[2].start', /got "1"/],
    ['a note that is not an object', withNote(2, 67), 'primer[2]', /must be a note \{pitch, start, end, velocity\}.*got 67$/],
    ['a misnamed field', withNote(1, { pitch: 60, startSeconds: 0, end: 1, velocity: 80 }), 'primer[1]', /unknown field "startSeconds"/],
  ])('refuses %s with a 400 naming the note and field', (_case, primer, field, detail) => {
    it(`names "${field}"`, () => {
      const error = refusal(primer);
      expect(error.status).toBe(400);
      expect(error.code).toBe('invalid-primer');
      expect(error.message).toMatch(new RegExp(`^parameter "${field.replace(/[[\].]/g, '\\$&')}" `));
      expect(error.message).toMatch(detail);
    });
  });

  it('refuses an empty list (400) and more notes than the cap (413)', () => {
    expect(refusal([])).toMatchObject({ status: 400, code: 'invalid-primer', message: expect.stringMatching(/got no notes$/) });
    const tooMany = Array.from({ length: generateLimits.primerNotes + 1 }, (_, i) => ({ pitch: 60, start: i * 0.1, end: i * 0.1 + 0.05, velocity: 80 }));
    expect(refusal(tooMany)).toMatchObject({ status: 413, message: expect.stringMatching(/got 4097 notes$/) });
    const atTheCap = tooMany.slice(0, generateLimits.primerNotes);
    expect(parseGenerateParams({ primer: atTheCap }, 'body').primer?.notes).toHaveLength(generateLimits.primerNotes);
  });

  it('refuses a primer that is neither text nor a list, saying both forms', () => {
    expect(refusal({ notes: phrase })).toMatchObject({ status: 400, message: expect.stringMatching(/^parameter "primer" must be a base64-encoded MIDI file .* or an array of 1 to 4096 notes/) });
  });
});

describe('generatePiece with a primer of JSON notes', () => {
  let cache: ModelCache;

  beforeAll(async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-a');
    await publishLatest(store, 'run-a');
    cache = new ModelCache(store);
  });

  it('answers the same piece as the same notes sent as a MIDI file, for the same seed', async () => {
    const sequence = { notes: phrase.map(({ pitch, start, end, velocity }) => ({ pitch, velocity, startSeconds: start, endSeconds: end })), totalSeconds: 2 };
    const asMidi = Buffer.from(writeMidi(sequence)).toString('base64');
    const deadline = Date.now() + 20_000;

    const fromNotes = await generatePiece(parseGenerateParams({ primer: phrase, seconds: 3, seed: 11 }, 'body'), { cache, deadline });
    const fromMidi = await generatePiece(parseGenerateParams({ primer: asMidi, seconds: 3, seed: 11 }, 'body'), { cache, deadline });
    const unprimed = await generatePiece(parseGenerateParams({ seconds: 3, seed: 11 }, 'body'), { cache, deadline });

    expect(fromNotes.events).toBeGreaterThan(0);
    expect(Buffer.from(fromNotes.midi).equals(Buffer.from(fromMidi.midi))).toBe(true);
    // The primer did reach the sampler: without it the same seed plays something else.
    expect(Buffer.from(fromNotes.midi).equals(Buffer.from(unprimed.midi))).toBe(false);
  });
});
