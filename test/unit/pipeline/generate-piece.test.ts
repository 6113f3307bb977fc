import { beforeAll, describe, expect, it } from 'vitest';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { saveModel } from '../../../src/model/model-files.js';
import { maxEventsPerSecond } from '../../../src/model/sampler.js';
import { generatePiece } from '../../../src/pipeline/generate-piece.js';
import { parseGenerateParams } from '../../../src/pipeline/generate-params.js';
import { ModelCache } from '../../../src/pipeline/model-cache.js';
import { noteOff, noteOn, singleTrackFile } from '../../support/midi-bytes.js';
import { publishLatest, saveTinyModel } from '../../../fixtures/published-model.js';
import { keys } from '../../../src/pipeline/keys.js';
import { performanceIds } from '../../../src/tokens/performance-ids.js';
import { manifestFor, randomModel, temporaryStore, tinyControlSpec, tinyShape } from '../../../fixtures/model-fixtures.js';
import { controlLayout } from '../../../src/model/controls/control-spec.js';

describe('generatePiece', () => {
  let cache: ModelCache;
  const later = () => Date.now() + 20_000;

  beforeAll(async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-a');
    await publishLatest(store, 'run-a');
    cache = new ModelCache(store);
  });

  it('samples the asked-for number of events from the latest model into MIDI that parses', async () => {
    const piece = await generatePiece(parseGenerateParams({ events: 200, seed: 5 }, 'body'), { cache, deadline: later() });
    expect(piece).toMatchObject({ runId: 'run-a', seed: 5, events: 200, complete: true });
    expect(parseMidi(piece.midi).notes.length).toBe(piece.notes);
  });

  it('gives the same piece for the same seed, and picks a seed when none is given', async () => {
    const params = parseGenerateParams({ seconds: 3, seed: 77 }, 'body');
    const one = await generatePiece(params, { cache, deadline: later() });
    const two = await generatePiece(params, { cache, deadline: later() });
    expect(two.midi).toEqual(one.midi);
    const picked = await generatePiece(parseGenerateParams({ events: 10 }, 'body'), { cache, deadline: later(), randomSeed: () => 1234 });
    expect(picked.seed).toBe(1234);
  });

  it('stops at the deadline with what it has and says the piece is incomplete', async () => {
    const piece = await generatePiece(parseGenerateParams({ events: 8000, seed: 1 }, 'body'), { cache, deadline: Date.now() - 1 });
    expect(piece.complete).toBe(false);
    expect(piece.events).toBeLessThan(8000);
  });

  it('continues a primer: the answer starts with the primer notes', async () => {
    const primerFile = singleTrackFile([...noteOn(0, 0, 60, 100), ...noteOff(480, 0, 60), ...noteOn(0, 0, 67, 100), ...noteOff(480, 0, 67)]);
    const params = parseGenerateParams({ primer: Buffer.from(primerFile).toString('base64'), events: 50, seed: 3 }, 'body');
    const piece = await generatePiece(params, { cache, deadline: later() });
    expect(parseMidi(piece.midi).notes.slice(0, 2).map((note) => note.pitch)).toEqual([60, 67]);
  });

  it('holds no note longer than maxNoteSeconds, not even a primer note that never ends', async () => {
    const primerFile = singleTrackFile([...noteOn(0, 0, 60, 100), ...noteOff(480 * 40, 0, 60)]);
    const params = parseGenerateParams({ primer: Buffer.from(primerFile).toString('base64'), seconds: 20, seed: 3, maxNoteSeconds: 0.5 }, 'body');
    const notes = parseMidi((await generatePiece(params, { cache, deadline: later() })).midi).notes;
    expect(notes.length).toBeGreaterThan(1);
    expect(Math.max(...notes.map((note) => note.endSeconds - note.startSeconds))).toBeLessThanOrEqual(0.5 + 1e-3);
  });

  it('caps the events of a seconds-long piece when the model never lets time pass', async () => {
    const store = temporaryStore();
    const { parameters } = randomModel(tinyShape, 1);
    // A dense bias this large makes VELOCITY bin 10 (no time, always allowed) the only id ever sampled.
    parameters[parameters.length - tinyShape.vocabSize + performanceIds.velocity(10)] = 1e3;
    await saveModel(store, keys.modelPrefix('stuck'), { parameters, manifest: manifestFor(tinyShape) });
    await publishLatest(store, 'stuck');
    const piece = await generatePiece(parseGenerateParams({ seconds: 2, seed: 1 }, 'body'), { cache: new ModelCache(store), deadline: later() });
    expect(piece).toMatchObject({ events: 2 * maxEventsPerSecond, complete: false });
  });

  it('leans the notes toward a requested key: a pitch class the key profile never holds is never played', async () => {
    const store = temporaryStore();
    const shape = { ...tinyShape, controlSize: controlLayout(tinyControlSpec).width };
    const { parameters } = randomModel(shape, 2);
    await saveModel(store, keys.modelPrefix('steered'), { parameters, manifest: manifestFor(shape, { controls: tinyControlSpec }) });
    await publishLatest(store, 'steered');
    const steeredCache = new ModelCache(store);
    const pitchClasses = async (query: Record<string, string | number>) =>
      new Set(parseMidi((await generatePiece(parseGenerateParams({ events: 600, seed: 4, ...query }, 'body'), { cache: steeredCache, deadline: later() })).midi).notes.map((note) => note.pitch % 12));

    // The tiny spec's major profile is 0 on the black keys of C major: D major's C and F natural get no chance.
    const inD = await pitchClasses({ key: 'D' });
    expect(inD.size).toBeGreaterThan(3);
    expect([...inD].every((pitchClass) => tinyControlSpec.keyProfiles.major[(pitchClass - 2 + 12) % 12]! > 0)).toBe(true);
    const unsteered = await pitchClasses({});
    expect([...unsteered].some((pitchClass) => tinyControlSpec.keyProfiles.major[(pitchClass - 2 + 12) % 12] === 0)).toBe(true);
  });
});
