import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateLimits, parseGenerateParams } from '../../../src/pipeline/generate-params.js';
import { RequestError } from '../../../src/pipeline/request-errors.js';
import { noteOff, noteOn, singleTrackFile } from '../../support/midi-bytes.js';

const base64 = (bytes: Uint8Array | number[]) => Buffer.from(Uint8Array.from(bytes)).toString('base64');
const primerFile = () => singleTrackFile([...noteOn(0, 0, 60, 80), ...noteOff(480, 0, 60), ...noteOn(0, 0, 64, 80), ...noteOff(480, 0, 64)]);

function badRequest(input: unknown, source: 'query' | 'body'): RequestError {
  try {
    parseGenerateParams(input, source);
  } catch (error) {
    if (error instanceof RequestError && error.status === 400) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('parseGenerateParams', () => {
  it('fills the defaults: 20 s, notes held at most 5 s, the latest model, no seed, a primer followed; the decoding is left to the model', () => {
    expect(parseGenerateParams({}, 'query')).toEqual({
      length: { seconds: 20 },
      decoding: {},
      maxNoteSeconds: 5,
      model: 'latest',
      followPrimer: true,
      controls: {},
    });
  });

  it('accepts every run id a trained run can have (the run-id rule, up to 128 characters)', () => {
    expect(parseGenerateParams({ model: 'r'.repeat(128) }, 'query').model).toBe('r'.repeat(128));
  });

  it('reads followPrimer as a boolean or its query-string text, and names it when it is neither', () => {
    expect(parseGenerateParams({ followPrimer: 'false' }, 'query').followPrimer).toBe(false);
    expect(parseGenerateParams({ followPrimer: false }, 'body').followPrimer).toBe(false);
    expect(() => parseGenerateParams({ followPrimer: 'maybe' }, 'query')).toThrow(/parameter "followPrimer" must be true or false/);
  });

  it('reads query strings as numbers and treats empty fields as absent', () => {
    expect(parseGenerateParams({ seconds: '7.5', temperature: '0.8', topK: '40', topP: '1', maxNoteSeconds: '2.5', seed: '12', model: 'run-2024.01_a', events: '' }, 'query')).toEqual({
      length: { seconds: 7.5 },
      decoding: { temperature: 0.8, topK: 40, topP: 1 },
      maxNoteSeconds: 2.5,
      seed: 12,
      model: 'run-2024.01_a',
      followPrimer: true,
      controls: {},
    });
  });

  it('reads the controls: density as a number, keys with sharps or flats and a trailing m for minor, "any" style as not given', () => {
    expect(parseGenerateParams({ density: '6', key: 'Bbm', dynamics: 'pp', style: 'Chopin' }, 'query').controls).toEqual({
      density: 6,
      key: { tonic: 10, mode: 'minor' },
      dynamics: 'pp',
      style: 'Chopin',
    });
    expect(parseGenerateParams({ key: 'A#m' }, 'query').controls).toEqual(parseGenerateParams({ key: 'Bbm' }, 'query').controls);
    expect(parseGenerateParams({ key: 'F#', style: 'any' }, 'body').controls).toEqual({ key: { tonic: 6, mode: 'major' } });
  });

  it('takes events instead of seconds', () => {
    expect(parseGenerateParams({ events: 300 }, 'body').length).toEqual({ events: 300 });
  });

  it.each([
    ['seconds', generateLimits.seconds.min],
    ['seconds', generateLimits.seconds.max],
    ['temperature', generateLimits.temperature.min],
    ['temperature', generateLimits.temperature.max],
    ['topK', generateLimits.topK.max],
    ['seed', generateLimits.seed.max],
    ['seed', 0],
    ['maxNoteSeconds', generateLimits.maxNoteSeconds.min],
    ['maxNoteSeconds', generateLimits.maxNoteSeconds.max],
  ])('accepts %s at its bound %d', (name, value) => {
    expect(() => parseGenerateParams({ [name]: value }, 'body')).not.toThrow();
  });

  describe.each([
    { input: { seconds: '0.5' }, code: 'invalid-parameter', says: /"seconds" must be a number of seconds from 1 to 120; got "0.5"/ },
    { input: { seconds: '121' }, code: 'invalid-parameter', says: /"seconds".*1 to 120/ },
    { input: { maxNoteSeconds: '0.4' }, code: 'invalid-parameter', says: /"maxNoteSeconds" must be a number of seconds from 0.5 to 30; got "0.4"/ },
    { input: { maxNoteSeconds: 31 }, code: 'invalid-parameter', says: /"maxNoteSeconds".*0.5 to 30/ },
    { input: { seconds: 'ten' }, code: 'invalid-parameter', says: /"seconds".*got "ten"/ },
    { input: { seconds: 'Infinity' }, code: 'invalid-parameter', says: /"seconds"/ },
    { input: { events: '0' }, code: 'invalid-parameter', says: /"events" must be a whole number from 1 to 8192/ },
    { input: { events: '10.5' }, code: 'invalid-parameter', says: /"events"/ },
    { input: { seconds: '10', events: '100' }, code: 'invalid-parameter', says: /"seconds" or "events", not both/ },
    { input: { temperature: '0' }, code: 'invalid-parameter', says: /"temperature" must be a number from 0.1 to 2/ },
    { input: { temperature: '2.01' }, code: 'invalid-parameter', says: /"temperature"/ },
    { input: { topK: '-1' }, code: 'invalid-parameter', says: /"topK" must be a whole number from 0 to 388 \(0 = off\)/ },
    { input: { topK: '389' }, code: 'invalid-parameter', says: /"topK"/ },
    { input: { topP: '0' }, code: 'invalid-parameter', says: /"topP" must be a number greater than 0 and at most 1/ },
    { input: { topP: '1.5' }, code: 'invalid-parameter', says: /"topP"/ },
    { input: { seed: '-1' }, code: 'invalid-parameter', says: /"seed" must be a whole number from 0 to 2147483647/ },
    { input: { seed: String(2 ** 31) }, code: 'invalid-parameter', says: /"seed"/ },
    { input: { seed: '1.5' }, code: 'invalid-parameter', says: /"seed"/ },
    { input: { seed: '1,2' }, code: 'invalid-parameter', says: /"seed".*got "1,2"/ },
    { input: { model: '../secrets' }, code: 'invalid-parameter', says: /"model" must be a run id/ },
    { input: { model: '..' }, code: 'invalid-parameter', says: /"model"/ },
    { input: { model: 'x'.repeat(129) }, code: 'invalid-parameter', says: /"model"/ },
    { input: { model: '.hidden' }, code: 'invalid-parameter', says: /"model"/ },
    { input: { density: '0.1' }, code: 'invalid-parameter', says: /"density" must be a number of notes per second from 0.5 to 40; got "0.1"/ },
    { input: { key: 'H' }, code: 'invalid-parameter', says: /"key" must be a key such as C, F#, Bb, Am or C#m/ },
    { input: { key: 'Cmajor7' }, code: 'invalid-parameter', says: /"key"/ },
    { input: { dynamics: 'fff' }, code: 'invalid-parameter', says: /"dynamics" must be one of pp, p, mp, mf, f, ff; got "fff"/ },
    { input: { temprature: '1' }, code: 'unknown-parameter', says: /unknown parameter "temprature"; accepted: seconds, events/ },
    { input: { primer: 'TVRoZA==' }, code: 'unknown-parameter', says: /"primer" is only accepted in a POST/ },
  ])('query $input', ({ input, code, says }) => {
    it(`→ 400 ${code}`, () => {
      const error = badRequest(input, 'query');
      expect(error.code).toBe(code);
      expect(error.message).toMatch(says);
    });
  });

  describe.each([
    { input: [], code: 'invalid-json', says: /JSON object/ },
    { input: null, code: 'invalid-json', says: /JSON object/ },
    { input: { seconds: true }, code: 'invalid-parameter', says: /"seconds".*got true/ },
    { input: { model: 5 }, code: 'invalid-parameter', says: /"model"/ },
    { input: { primer: 'not base64!' }, code: 'invalid-primer', says: /"primer".*not base64/ },
    { input: { primer: base64([1, 2, 3, 4, 5, 6]) }, code: 'invalid-primer', says: /"primer" is not a usable MIDI file: / },
    { input: { primer: 7 }, code: 'invalid-parameter', says: /"primer" must be a base64-encoded MIDI file of at most 256 KiB/ },
  ])('body $input', ({ input, code, says }) => {
    it(`→ 400 ${code}`, () => {
      const error = badRequest(input, 'body');
      expect(error.code).toBe(code);
      expect(error.message).toMatch(says);
    });
  });

  it('parses a base64 MIDI primer into notes', () => {
    const params = parseGenerateParams({ primer: base64(primerFile()), seconds: 5 }, 'body');
    expect(params.primer?.notes.map((note) => note.pitch)).toEqual([60, 64]);
  });

  it('cuts a primer where primerEnd says it stops: later notes left out, a note sounding then held to it', () => {
    const notes = [
      { pitch: 60, start: 0, end: 1, velocity: 80 },
      { pitch: 64, start: 0.5, end: 3, velocity: 80 },
      { pitch: 67, start: 2.5, end: 3, velocity: 80 },
    ];
    const cut = parseGenerateParams({ primer: notes, primerEnd: 2 }, 'body').primer!;
    expect(cut.totalSeconds).toBe(2);
    expect(cut.notes.map((note) => [note.pitch, note.endSeconds])).toEqual([[60, 1], [64, 2]]);
    // A phrase whose keys were all let go: its end after the last release, so no note is taken as held.
    const released = parseGenerateParams({ primer: notes, primerEnd: '3.8' }, 'body').primer!;
    expect(released.totalSeconds).toBe(3.8);
    expect(Math.max(...released.notes.map((note) => note.endSeconds))).toBe(3);
    // Without it, the primer ends with its last note: the notes that end last are the held ones.
    expect(parseGenerateParams({ primer: notes }, 'body').primer!.totalSeconds).toBe(3);
  });

  it.each([
    [{ primerEnd: 2 }, 'body', /"primerEnd" needs parameter "primer"/],
    [{ primerEnd: '2' }, 'query', /"primerEnd" is only accepted in a POST/],
    [{ primer: [{ pitch: 60, start: 1, end: 2, velocity: 80 }], primerEnd: 0.5 }, 'body', /"primerEnd" must be .*got 0\.5, the first onset is at 1\.000/],
    [{ primer: [{ pitch: 60, start: 1, end: 2, velocity: 80 }], primerEnd: -1 }, 'body', /"primerEnd" must be a number of seconds from 0 to 600/],
  ] as const)('refuses primerEnd %o (%s) with a 400 naming it', (input, source, says) => {
    expect(() => parseGenerateParams(input, source)).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(says) }));
  });

  it('refuses a primer over the size cap as too large, before decoding it', () => {
    const huge = 'A'.repeat(Math.ceil(generateLimits.primerBytes / 3) * 4 + 4);
    expect(() => parseGenerateParams({ primer: huge }, 'body')).toThrow(expect.objectContaining({ code: 'payload-too-large', status: 413 }));
  });

  it('never throws anything but a 400 RequestError for any query object', () => {
    const names = ['seconds', 'events', 'temperature', 'topK', 'topP', 'seed', 'model', 'primer', 'other'];
    const value = fc.oneof(fc.string(), fc.double().map(String), fc.integer().map(String), fc.constantFrom('', ' 1 ', '1e3', '.5', 'NaN', '0x10'));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), value), (query) => {
        try {
          const params = parseGenerateParams(query, 'query');
          const temperature = params.decoding.temperature ?? generateLimits.temperature.default;
          expect(temperature).toBeGreaterThanOrEqual(generateLimits.temperature.min);
          expect(temperature).toBeLessThanOrEqual(generateLimits.temperature.max);
        } catch (error) {
          expect(error).toBeInstanceOf(RequestError);
          expect((error as RequestError).status).toBe(400);
        }
      }),
      { numRuns: 500 },
    );
  });
});
