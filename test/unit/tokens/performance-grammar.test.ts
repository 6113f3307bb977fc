import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSampler, defaultRules } from '../../../src/model/sampler.js';
import { performanceGrammar } from '../../../src/tokens/performance-grammar.js';
import { decodePerformance, performanceTokenizer } from '../../../src/tokens/performance.js';
import { NOTE_OFF_BASE, performanceIds, STEPS_PER_SECOND, TIME_SHIFT_BASE, tokenKind, VELOCITY_BASE } from '../../../src/tokens/performance-ids.js';
import { randomModel, tinyShape } from '../../../fixtures/model-fixtures.js';

/** A random model leaning towards the ids a grammar must police: note-offs, and long time shifts that strand notes. */
function unrulyModel(seed: number, offBias: number) {
  const model = randomModel(tinyShape, seed);
  const bias = model.parameters.length - tinyShape.vocabSize;
  for (let id = NOTE_OFF_BASE; id < TIME_SHIFT_BASE; id++) model.parameters[bias + id]! += offBias;
  model.parameters[bias + performanceIds.timeShift(100)]! += 2;
  return model;
}

/** Plays the ids through a piano: every rule a performance stream must keep, as a list of what broke. */
function grammarViolations(ids: ArrayLike<number>, maxNoteSeconds: number, primer: ArrayLike<number> = []): string[] {
  const started = new Map<number, number>();
  const broken: string[] = [];
  let clock = 0;
  const play = (id: number, checked: boolean) => {
    const kind = tokenKind(id);
    if (kind === 'note-on') {
      if (checked && started.get(id) !== undefined) broken.push(`NOTE_ON ${id} while it sounds at step ${clock}`);
      started.set(id, clock);
    } else if (kind === 'note-off') {
      const start = started.get(id - NOTE_OFF_BASE);
      if (checked && (start === undefined || start === clock)) broken.push(`NOTE_OFF ${id - NOTE_OFF_BASE} of a silent or just-struck pitch at step ${clock}`);
      started.delete(id - NOTE_OFF_BASE);
    } else if (kind === 'time-shift') {
      clock += id - TIME_SHIFT_BASE + 1;
    }
    for (const [pitch, start] of started) {
      if (checked && clock - start > Math.round(maxNoteSeconds * STEPS_PER_SECOND)) broken.push(`pitch ${pitch} held past the cap at step ${clock}`);
    }
  };
  Array.from(primer).forEach((id) => play(id, false));
  Array.from(ids).forEach((id) => play(id, true));
  return broken;
}

/** Steps between consecutive strikes of the same key. */
function restrikeGaps(ids: ArrayLike<number>): number[] {
  const struck = new Map<number, number>();
  const gaps: number[] = [];
  let clock = 0;
  for (const id of Array.from(ids)) {
    const kind = tokenKind(id);
    if (kind === 'time-shift') clock += id - TIME_SHIFT_BASE + 1;
    if (kind !== 'note-on') continue;
    if (struck.has(id)) gaps.push(clock - struck.get(id)!);
    struck.set(id, clock);
  }
  return gaps;
}

/** The longest stretch in steps with no note sounding, from the start to the last event. */
function longestSilence(ids: ArrayLike<number>): number {
  let sounding = 0;
  let clock = 0;
  let silentSince = 0;
  let longest = 0;
  const on = new Set<number>();
  for (const id of Array.from(ids)) {
    const kind = tokenKind(id);
    if (kind === 'time-shift') clock += id - TIME_SHIFT_BASE + 1;
    else if (kind === 'note-on') {
      if (sounding === 0) longest = Math.max(longest, clock - silentSince);
      if (!on.has(id)) sounding += 1;
      on.add(id);
    } else if (kind === 'note-off' && on.delete(id - NOTE_OFF_BASE)) {
      sounding -= 1;
      if (sounding === 0) silentSince = clock;
    }
  }
  return Math.max(longest, sounding === 0 ? clock - silentSince : 0);
}

/** A random model that wants to strike middle C again and again, and to release it at once. */
function hammeringModel(seed: number) {
  const model = randomModel(tinyShape, seed);
  const bias = model.parameters.length - tinyShape.vocabSize;
  model.parameters[bias + performanceIds.noteOn(60)]! += 6;
  model.parameters[bias + performanceIds.noteOff(60)]! += 6;
  model.parameters[bias + performanceIds.timeShift(1)]! += 3;
  return model;
}

describe('performanceGrammar', () => {
  it('allows a NOTE_OFF only for a pitch sounding since an earlier step', () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 5 });
    expect(grammar.allowed[performanceIds.noteOff(60)]).toBe(0);
    grammar.accept(performanceIds.noteOn(60));
    expect(grammar.allowed[performanceIds.noteOff(60)]).toBe(0);
    expect(grammar.allowed[performanceIds.noteOn(60)]).toBe(0);
    grammar.accept(performanceIds.timeShift(1));
    expect(grammar.allowed[performanceIds.noteOff(60)]).toBe(1);
    expect(grammar.allowed[performanceIds.noteOff(61)]).toBe(0);
  });

  it('turns a restrike into NOTE_OFF then NOTE_ON, as the encoder writes one', () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 5 });
    grammar.accept(performanceIds.noteOn(60));
    grammar.accept(performanceIds.timeShift(20));
    expect(grammar.accept(performanceIds.noteOn(60))).toBe(performanceIds.noteOff(60));
    expect(grammar.forced()).toBe(performanceIds.noteOn(60));
  });

  it('keeps a key from being struck again within minRestrikeSeconds and sends that chance to the wait', () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 5, minRestrikeSeconds: 0.05 });
    grammar.accept(performanceIds.noteOn(60));
    grammar.accept(performanceIds.timeShift(2));
    grammar.accept(performanceIds.noteOff(60));
    expect(grammar.allowed[performanceIds.noteOn(60)]).toBe(0);
    expect(grammar.redirect![performanceIds.noteOn(60)]).toBe(performanceIds.timeShift(3));
    expect(grammar.allowed[performanceIds.noteOn(61)]).toBe(1);
    expect(grammar.redirect![performanceIds.noteOn(61)]).toBe(-1);
    grammar.accept(performanceIds.timeShift(3));
    expect(grammar.allowed[performanceIds.noteOn(60)]).toBe(1);
    expect(grammar.redirect![performanceIds.noteOn(60)]).toBe(-1);
  });

  it('keeps a silence within maxSilenceSeconds: TIME_SHIFTs that would carry it further are not drawn', () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 5, maxSilenceSeconds: 0.5 });
    const allowedShifts = () => Array.from({ length: 100 }, (_, k) => grammar.allowed[performanceIds.timeShift(k + 1)]).lastIndexOf(1) + 1;
    expect(allowedShifts()).toBe(50);
    grammar.accept(performanceIds.timeShift(30));
    expect(allowedShifts()).toBe(20);
    grammar.accept(performanceIds.timeShift(20));
    expect(allowedShifts()).toBe(0);
    grammar.accept(performanceIds.noteOn(60));
    expect(allowedShifts()).toBe(100);
    grammar.accept(performanceIds.timeShift(100));
    grammar.accept(performanceIds.noteOff(60));
    expect(allowedShifts()).toBe(50);
  });

  it('cuts the rest of a shift split at a note cap when it would carry the silence past its cap', () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 0.3, maxSilenceSeconds: 0.5 });
    grammar.accept(performanceIds.noteOn(60));
    expect(grammar.accept(performanceIds.timeShift(100))).toBe(performanceIds.timeShift(30));
    const forced: number[] = [];
    for (let id = grammar.forced(); id !== -1; id = grammar.forced()) forced.push(grammar.accept(id));
    expect(forced).toEqual([performanceIds.noteOff(60), performanceIds.timeShift(50)]);
  });

  it("sends a refused restrike's chance to the wait only when the silence cap allows that wait", () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 5, minRestrikeSeconds: 0.05, maxSilenceSeconds: 0.5 });
    grammar.accept(performanceIds.noteOn(60));
    grammar.accept(performanceIds.timeShift(1));
    grammar.accept(performanceIds.noteOff(60));
    expect(grammar.redirect![performanceIds.noteOn(60)]).toBe(performanceIds.timeShift(4));
    const capped = performanceGrammar({ maxNoteSeconds: 5, minRestrikeSeconds: 0.05, maxSilenceSeconds: 0.02 });
    capped.accept(performanceIds.noteOn(60));
    capped.accept(performanceIds.timeShift(1));
    capped.accept(performanceIds.noteOff(60));
    expect(capped.allowed[performanceIds.timeShift(4)]).toBe(0);
    expect(capped.redirect![performanceIds.noteOn(60)]).toBe(-1);
  });

  it('waits in steps of the longest TIME_SHIFT when the restrike floor is longer than one', () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 5, minRestrikeSeconds: 2.5 });
    grammar.accept(performanceIds.noteOn(60));
    expect(grammar.redirect![performanceIds.noteOn(60)]).toBe(performanceIds.timeShift(100));
    grammar.accept(performanceIds.timeShift(100));
    grammar.accept(performanceIds.timeShift(100));
    expect(grammar.redirect![performanceIds.noteOn(60)]).toBe(performanceIds.timeShift(50));
  });

  it('splits a time shift at a note cap and ends the note in between', () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 0.5 });
    grammar.accept(performanceIds.noteOn(60));
    grammar.accept(performanceIds.timeShift(30));
    expect(grammar.accept(performanceIds.timeShift(100))).toBe(performanceIds.timeShift(20));
    const forced = [grammar.forced()];
    forced.push(grammar.accept(forced[0]!));
    forced.push(grammar.accept(grammar.forced()));
    expect(forced).toEqual([performanceIds.noteOff(60), performanceIds.noteOff(60), performanceIds.timeShift(80)]);
    expect(grammar.forced()).toBe(-1);
  });

  it('masks new pitches while maxPolyphony notes sound, but not restrikes', () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 5, maxPolyphony: 2 });
    [60, 64].forEach((pitch) => grammar.accept(performanceIds.noteOn(pitch)));
    grammar.accept(performanceIds.timeShift(5));
    expect(grammar.allowed[performanceIds.noteOn(67)]).toBe(0);
    expect(grammar.allowed[performanceIds.noteOn(60)]).toBe(1);
    grammar.accept(performanceIds.noteOff(64));
    expect(grammar.allowed[performanceIds.noteOn(67)]).toBe(1);
  });
});

describe('sampling with the performance grammar', () => {
  it('never draws a NOTE_OFF for a silent pitch nor holds a note past the cap (random models and seeds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: 0, max: 4, noNaN: true }), fc.constantFrom(0.5, 2, 5), (modelSeed, seed, offBias, maxNoteSeconds) => {
        const sampler = createSampler(unrulyModel(modelSeed, offBias), performanceTokenizer);
        const ids = sampler.generate({ stop: { maxEvents: 300 }, decoding: { temperature: 1, topK: 0, topP: 0.95, seed }, rules: { ...defaultRules, maxNoteSeconds } });
        expect(grammarViolations(ids, maxNoteSeconds)).toEqual([]);
        const longest = Math.max(0, ...decodePerformance(ids, { maxNoteSeconds }).notes.map((note) => note.endSeconds - note.startSeconds));
        expect(longest).toBeLessThanOrEqual(maxNoteSeconds + 1e-9);
      }),
      { numRuns: 40 },
    );
  });

  it('breaks the grammar without it, so the property above can fail', () => {
    const ids = createSampler(unrulyModel(3, 4), performanceTokenizer).generate({ stop: { maxEvents: 300 }, decoding: { temperature: 1, topK: 0, topP: 1, seed: 1 }, rules: false });
    expect(grammarViolations(ids, 0.5).length).toBeGreaterThan(0);
  });

  it('strikes no key twice within 50 ms by default, and strikes it once it may (random models and seeds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (modelSeed, seed) => {
        const ids = createSampler(hammeringModel(modelSeed), performanceTokenizer).generate({ stop: { maxEvents: 300 }, decoding: { temperature: 1, topK: 0, topP: 0.95, seed } });
        const gaps = restrikeGaps(ids);
        expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0.05 * STEPS_PER_SECOND);
        // The chance of the refused strike went to waiting for it: the key comes back as soon as it may.
        expect(gaps).toContain(0.05 * STEPS_PER_SECOND);
      }),
      { numRuns: 20 },
    );
  });

  it('re-strikes a key sooner with the rule off, so the property above can fail', () => {
    const ids = createSampler(hammeringModel(1), performanceTokenizer).generate({ stop: { maxEvents: 300 }, decoding: { temperature: 1, topK: 0, topP: 0.95, seed: 1 }, rules: { ...defaultRules, minRestrikeSeconds: 0 } });
    expect(Math.min(...restrikeGaps(ids))).toBeLessThan(0.05 * STEPS_PER_SECOND);
  });

  it('lets no silence last past 2 s by default (random models leaning to long time shifts and note-offs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (modelSeed, seed) => {
        const ids = createSampler(unrulyModel(modelSeed, 3), performanceTokenizer).generate({ stop: { maxEvents: 300 }, decoding: { temperature: 1, topK: 0, topP: 0.95, seed } });
        expect(longestSilence(ids)).toBeLessThanOrEqual(2 * STEPS_PER_SECOND);
      }),
      { numRuns: 20 },
    );
  });

  it('falls silent for longer with the silence cap lifted, so the property above can fail', () => {
    const ids = createSampler(unrulyModel(3, 3), performanceTokenizer).generate({ stop: { maxEvents: 300 }, decoding: { temperature: 1, topK: 0, topP: 0.95, seed: 1 }, rules: { ...defaultRules, maxSilenceSeconds: 1000 } });
    expect(longestSilence(ids)).toBeGreaterThan(2 * STEPS_PER_SECOND);
  });

  it('gives the same piece for the same seed', () => {
    const sampler = createSampler(unrulyModel(5, 2), performanceTokenizer);
    const options = { stop: { maxSeconds: 10 }, decoding: { temperature: 1, topK: 0, topP: 0.95, seed: 42 } };
    expect(sampler.generate(options)).toEqual(sampler.generate(options));
  });

  it("carries a primer's sounding notes: they may end, and end at the cap", () => {
    const primer = [performanceIds.velocity(20), performanceIds.noteOn(60), performanceIds.timeShift(100), performanceIds.timeShift(50)];
    const sampler = createSampler(unrulyModel(7, 0), performanceTokenizer);
    const ids = sampler.generate({ stop: { maxEvents: 1 }, decoding: { temperature: 1, topK: 0, topP: 1, seed: 1 }, primer: { ids: primer }, rules: { ...defaultRules, maxNoteSeconds: 1 } });
    // Held 1.5 s already against a 1 s cap: the sampler ends it before drawing anything.
    expect(Array.from(ids)).toEqual([performanceIds.noteOff(60)]);
    const longer = sampler.generate({ stop: { maxSeconds: 8 }, decoding: { temperature: 1, topK: 0, topP: 1, seed: 1 }, primer: { ids: primer }, rules: { ...defaultRules, maxNoteSeconds: 3 } });
    expect(grammarViolations(longer, 3, primer)).toEqual([]);
    expect(decodePerformance([...primer, ...longer], { maxNoteSeconds: 3 }).notes[0]).toMatchObject({ pitch: 60, startSeconds: 0 });
    expect(Array.from(longer).filter((id) => id === performanceIds.noteOff(60)).length).toBeGreaterThan(0);
  });

  it('leaves velocity events alone', () => {
    const grammar = performanceGrammar({ maxNoteSeconds: 5 });
    expect(grammar.accept(VELOCITY_BASE + 3)).toBe(VELOCITY_BASE + 3);
  });
});
