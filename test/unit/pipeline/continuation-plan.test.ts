import { describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../src/midi/note-sequence.js';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { writeMidi } from '../../../src/midi/write-midi.js';
import { controlLayout, requestControls } from '../../../src/model/controls/control-spec.js';
import { KeyboardState, keyboardSpec } from '../../../src/model/controls/keyboard-input.js';
import { createSampler } from '../../../src/model/sampler.js';
import { describeTakenFromPrimer, followingRecipe, planContinuation, plainRecipe } from '../../../src/pipeline/continuation-plan.js';
import { parseGenerateParams } from '../../../src/pipeline/generate-params.js';
import { composePiece } from '../../../src/pipeline/generate-piece.js';
import { performanceTokenizer } from '../../../src/tokens/performance.js';
import { manifestFor, randomModel, tinyControlSpec, tinyShape } from '../../../fixtures/model-fixtures.js';

/** An E-minor phrase at 6 notes a second, loud, its last chord still held at the end (a cut from a performance). */
const primer: NoteSequence = {
  notes: [
    ...Array.from({ length: 36 }, (_, i) => ({ pitch: [64, 67, 71, 76][i % 4]!, velocity: 88, startSeconds: i / 6, endSeconds: i / 6 + 0.4 })),
    { pitch: 52, velocity: 88, startSeconds: 5.5, endSeconds: 6 },
  ],
  totalSeconds: 6,
};

const shape = { ...tinyShape, controlSize: controlLayout(tinyControlSpec).width };
const layout = controlLayout(tinyControlSpec);
const model = (() => {
  const loaded = randomModel(shape, 3);
  return { ...loaded, manifest: manifestFor(shape, { controls: tinyControlSpec }) };
})();
const served = { runId: 'tiny', model, tokenizer: performanceTokenizer, sampler: createSampler(model, performanceTokenizer) };
const params = (fields: Record<string, unknown>) =>
  ({ primer, ...parseGenerateParams({ seconds: 4, seed: 9, ...fields }, 'body') });

describe('planContinuation', () => {
  it('takes the primer’s density bin, pitch classes and dynamics bin, caps notes by its own, says so, and leaves style unset', () => {
    const plan = planContinuation(tinyControlSpec, performanceTokenizer, primer, undefined, followingRecipe, 5);
    const controls = plan.sampling.controls!;

    // 6 notes/s falls in the tiny spec's bin [4, 8): bin 3.
    expect([...controls.subarray(layout.density, layout.pitchClasses)].indexOf(1)).toBe(3);
    expect(controls[layout.pitchClasses + 4]! + controls[layout.pitchClasses + 7]! + controls[layout.pitchClasses + 11]!).toBeCloseTo(1, 5);
    // Velocity 88 decodes to bin 22 ≈ 86: above the tiny spec's top edge 85, "ff".
    expect(controls[layout.dynamics + 5]).toBe(1);
    expect(controls.subarray(layout.style).every((value) => value === 0)).toBe(true);
    expect(plan.sampling.primer?.controls).toHaveLength(plan.primer.length);
    // Its notes last 0.4 s (the bass 0.5 s): three times its 90th percentile caps the new notes.
    expect(plan.maxNoteSeconds).toBeCloseTo(1.2, 1);
    expect(plan.taken).toEqual({ density: expect.closeTo(6, 0), key: 'Em', dynamics: 'ff', maxNoteSeconds: plan.maxNoteSeconds });
    expect(describeTakenFromPrimer(plan.taken)).toMatch(/^density=\d+(\.\d+)? key=Em dynamics=ff maxNoteSeconds=1\.\d+$/);
  });

  it('lets a control the request names win over the primer’s', () => {
    const asked = requestControls(tinyControlSpec, { density: 1.5, dynamics: 'pp' });
    const plan = planContinuation(tinyControlSpec, performanceTokenizer, primer, asked, followingRecipe, 5);
    const controls = plan.sampling.controls!;

    expect([...controls.subarray(layout.density, layout.pitchClasses)]).toEqual([...asked.subarray(layout.density, layout.pitchClasses)]);
    expect([...controls.subarray(layout.dynamics, layout.style)]).toEqual([1, 0, 0, 0, 0, 0]);
    expect(controls[layout.pitchClasses + 4]).toBeGreaterThan(0);
    expect(plan.taken).toEqual({ key: 'Em', maxNoteSeconds: plan.maxNoteSeconds });
  });

  it('leaves the keys down at the cut down for a model with the keyboard input, which reads the keys from the ids it is fed', () => {
    const keysAfter = (ids: Uint16Array) => {
      const keys = new KeyboardState(keyboardSpec);
      ids.forEach((id) => keys.observe(id));
      const held: number[] = [];
      keys.forEachHeld((key) => held.push(key + 21));
      return held;
    };

    // The bass and the last two melody notes (B4, E5: they end after 6 s) are down when the primer stops.
    expect(keysAfter(planContinuation(tinyControlSpec, performanceTokenizer, primer, undefined, followingRecipe, 5).primer)).toEqual([52, 71, 76]);
    expect(keysAfter(planContinuation(tinyControlSpec, performanceTokenizer, primer, undefined, plainRecipe, 5).primer)).toEqual([]);
  });

  it('holds no key for a played phrase whose keys were all let go: its primerEnd comes after the last release', () => {
    const phrase = primer.notes.map(({ pitch, velocity, startSeconds, endSeconds }) => ({ pitch, velocity, start: startSeconds, end: endSeconds }));
    const plan = (fields: object) => planContinuation(tinyControlSpec, performanceTokenizer, params({ primer: phrase, ...fields }).primer!, undefined, followingRecipe, 5);
    const keysAfter = (ids: Uint16Array) => {
      const keys = new KeyboardState(keyboardSpec);
      ids.forEach((id) => keys.observe(id));
      let held = 0;
      keys.forEachHeld(() => held++);
      return held;
    };

    // Taken as a cut, the note that ends last (E5, at 6.23 s) is down when it stops; let go before the end, none is.
    expect(keysAfter(plan({}).primer)).toBe(1);
    expect(keysAfter(plan({ primerEnd: 6.5 }).primer)).toBe(0);
  });

  it('takes nothing with the plain recipe, and only the note cap from a model without controls', () => {
    expect(planContinuation(tinyControlSpec, performanceTokenizer, primer, undefined, plainRecipe, 5).taken).toEqual({});
    const withoutControls = planContinuation(undefined, performanceTokenizer, primer, undefined, followingRecipe, 5);
    expect(withoutControls.sampling.controls).toBeUndefined();
    expect(Object.keys(withoutControls.taken)).toEqual(['maxNoteSeconds']);
  });
});

describe('composePiece with a primer', () => {
  it('with followPrimer off writes byte for byte the piece rubato wrote before continuations followed their primer', () => {
    const piece = composePiece(served, params({ followPrimer: false }), { deadline: Number.POSITIVE_INFINITY });

    // The earlier use case: the primer's newest 512 ids, no controls, the same sampling options.
    const primerIds = performanceTokenizer.encode(primer).slice(-512);
    const events = served.sampler.generate({
      stop: { maxSeconds: 4, maxEvents: 800 },
      decoding: { temperature: 1, topK: 0, topP: 0.95, seed: 9 },
      rules: { maxNoteSeconds: 5, minRestrikeSeconds: 0.05, maxSilenceSeconds: 2 },
      primer: { ids: primerIds },
    });
    const before = performanceTokenizer.decode(Uint16Array.from([...primerIds, ...events]), { maxNoteSeconds: 5 });
    expect(piece.midi).toEqual(writeMidi(before));
    expect(piece.fromPrimer).toEqual({});
  });

  it('follows the primer by default: another piece, and the answer says what it took', () => {
    const following = composePiece(served, params({}), { deadline: Number.POSITIVE_INFINITY });
    const plain = composePiece(served, params({ followPrimer: false }), { deadline: Number.POSITIVE_INFINITY });

    expect(following.midi).not.toEqual(plain.midi);
    expect(following.fromPrimer.key).toBe('Em');
  });

  it('lets the primer’s note held at the cut carry on into the continuation, ended by the model or the cap', () => {
    const piece = composePiece(served, params({}), { deadline: Number.POSITIVE_INFINITY });
    const plain = composePiece(served, params({ followPrimer: false }), { deadline: Number.POSITIVE_INFINITY });
    const bass = (midi: Uint8Array) => parseMidi(midi).notes.find((note) => note.pitch === 52 && Math.abs(note.startSeconds - 5.5) < 0.01)!;

    expect(bass(plain.midi).endSeconds).toBeCloseTo(6, 2);
    expect(piece.primerSeconds).toBeLessThan(6);
    expect(bass(piece.midi).endSeconds).not.toBeCloseTo(6, 2);
    expect(bass(piece.midi).endSeconds).toBeGreaterThan(piece.primerSeconds);
    expect(bass(piece.midi).endSeconds).toBeLessThanOrEqual(5.5 + piece.fromPrimer.maxNoteSeconds! + 0.01);
  });
});
