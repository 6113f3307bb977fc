import { describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../src/midi/note-sequence.js';
import { writeMidi } from '../../../src/midi/write-midi.js';
import { createSampler, defaultRules } from '../../../src/model/sampler.js';
import { describeDecoding, resolveDecoding, samplingDefaultsSchema } from '../../../src/model/sampling-defaults.js';
import { defaultDecoding, parseGenerateParams } from '../../../src/pipeline/generate-params.js';
import { composePiece } from '../../../src/pipeline/generate-piece.js';
import { performanceTokenizer } from '../../../src/tokens/performance.js';
import { manifestFor, randomModel, tinyShape } from '../../../fixtures/model-fixtures.js';

const fallback = { temperature: 1, topK: 0, topP: 0.95 };

describe('resolveDecoding', () => {
  it('takes the request over the model over rubato, and the model’s withPrimer only for a continuation', () => {
    const model = { topP: 0.99, withPrimer: { topP: 0.98, temperature: 0.9 } };
    expect(resolveDecoding({}, undefined, false, fallback)).toEqual(fallback);
    expect(resolveDecoding({}, model, false, fallback)).toEqual({ temperature: 1, topK: 0, topP: 0.99 });
    expect(resolveDecoding({}, model, true, fallback)).toEqual({ temperature: 0.9, topK: 0, topP: 0.98 });
    expect(resolveDecoding({ topP: 0.5, topK: undefined }, model, true, fallback)).toEqual({ temperature: 0.9, topK: 0, topP: 0.5 });
  });

  it('reads a manifest’s sampling through its schema: a top-p over 1 or an unknown field is refused', () => {
    expect(samplingDefaultsSchema.safeParse({ topP: 0.99, withPrimer: { topP: 0.98 } }).success).toBe(true);
    expect(samplingDefaultsSchema.safeParse({ topP: 1.5 }).success).toBe(false);
    expect(samplingDefaultsSchema.safeParse({ top_p: 0.9 }).success).toBe(false);
  });

  it('says what it used as name=value pairs', () => {
    expect(describeDecoding({ temperature: 1, topK: 0, topP: 0.95 })).toBe('temperature=1 topK=0 topP=0.95');
  });
});

describe('composePiece with a model’s own sampling defaults', () => {
  const loaded = randomModel(tinyShape, 5);
  const servedWith = (sampling?: object) => {
    const model = { ...loaded, manifest: { ...manifestFor(tinyShape), ...(sampling ? { sampling } : {}) } };
    return { runId: 'tiny', model, tokenizer: performanceTokenizer, sampler: createSampler(model, performanceTokenizer) };
  };
  const plain = servedWith();
  /** The piece the sampler writes with `topP` and this request's other settings, decoded as the use case decodes. */
  const pieceWith = (topP: number) => {
    const events = plain.sampler.generate({ stop: { maxSeconds: 3, maxEvents: 600 }, decoding: { ...defaultDecoding, topP, seed: 4 }, rules: defaultRules });
    return writeMidi(performanceTokenizer.decode(events, { maxNoteSeconds: defaultRules.maxNoteSeconds }));
  };
  const run = (served: ReturnType<typeof servedWith>, fields: Record<string, unknown>) =>
    composePiece(served, parseGenerateParams({ seconds: 3, seed: 4, ...fields }, 'body'), { deadline: Number.POSITIVE_INFINITY });

  it('samples a request that names no top-p with the model’s, and says so', () => {
    const piece = run(servedWith({ topP: 0.5 }), {});
    expect(piece.decoding).toEqual({ ...defaultDecoding, topP: 0.5 });
    expect(piece.midi).toEqual(pieceWith(0.5));
    expect(piece.midi).not.toEqual(run(plain, {}).midi);
  });

  it('lets the request’s own top-p win over the model’s', () => {
    const piece = run(servedWith({ topP: 0.5 }), { topP: 0.8 });
    expect(piece.decoding.topP).toBe(0.8);
    expect(piece.midi).toEqual(run(plain, { topP: 0.8 }).midi);
  });

  it('uses withPrimer only when there is a primer', () => {
    const served = servedWith({ withPrimer: { topP: 0.6 } });
    const primer: NoteSequence = { notes: [{ pitch: 60, velocity: 70, startSeconds: 0, endSeconds: 0.4 }], totalSeconds: 0.5 };
    expect(run(served, {}).decoding.topP).toBe(defaultDecoding.topP);
    const continued = composePiece(served, { ...parseGenerateParams({ seconds: 3, seed: 4, followPrimer: false }, 'body'), primer }, { deadline: Number.POSITIVE_INFINITY });
    expect(continued.decoding.topP).toBe(0.6);
  });
});
