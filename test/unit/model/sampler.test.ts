import { describe, expect, it } from 'vitest';
import type { LoadedModel } from '../../../src/model/model-files.js';
import { LstmCell } from '../../../src/model/lstm-cell.js';
import { SeededRandom } from '../../../src/model/random.js';
import { createSampler, defaultRules, SamplingError, type Decoding, type GenerateOptions } from '../../../src/model/sampler.js';
import { randomModel } from '../../../fixtures/model-fixtures.js';

/** Top-k / top-p the plain way: rank all ids every event (ties to the lower id), keep the prefix, draw from it. */
function referencePiece(model: LoadedModel, options: Decoding & { maxEvents: number }): number[] {
  const cell = new LstmCell(model.shape, model.parameters);
  const random = new SeededRandom(options.seed);
  const ids: number[] = [];
  while (ids.length < options.maxEvents) {
    const logits = Array.from(cell.logits);
    const maximum = Math.max(...logits);
    const probabilities = logits.map((logit) => Math.exp((logit - maximum) / options.temperature));
    const ranked = probabilities.map((_, id) => id).sort((a, b) => probabilities[b]! - probabilities[a]! || a - b);
    const top = options.topK > 0 ? ranked.slice(0, options.topK) : ranked;
    const total = top.reduce((sum, id) => sum + probabilities[id]!, 0);
    const kept: number[] = [];
    let cumulative = 0;
    for (const id of top) {
      kept.push(id);
      cumulative += probabilities[id]!;
      if (cumulative >= options.topP * total) break;
    }
    let threshold = random.next() * cumulative;
    const id = kept.find((candidate) => (threshold -= probabilities[candidate]!) < 0) ?? kept.at(-1)!;
    ids.push(id);
    cell.step(id);
  }
  return ids;
}

const base: GenerateOptions = { stop: { maxEvents: 200 }, decoding: { temperature: 1, topK: 0, topP: 1, seed: 7 } };

/** `base` with other decoding (and other fields). */
const decodedBy = (decoding: Partial<Decoding>, more: Partial<GenerateOptions> = {}): GenerateOptions => ({ ...base, decoding: { ...base.decoding, ...decoding }, ...more });

describe('createSampler', () => {
  it('replays the same piece for the same seed and another for another seed', () => {
    const sampler = createSampler(randomModel());
    const first = sampler.generate(base);
    expect(first).toHaveLength(200);
    expect(sampler.generate(base)).toEqual(first);
    expect(sampler.generate(decodedBy({ seed: 8 }))).not.toEqual(first);
  });

  it.each([
    { topK: 0, topP: 0.95 },
    { topK: 0, topP: 0.5, temperature: 0.5 },
    { topK: 5, topP: 1 },
    { topK: 40, topP: 0.8, temperature: 1.5 },
    // Peaked distributions: few ids clear the first floor, so it is lowered.
    { topK: 300, topP: 1, temperature: 0.1 },
    { topK: 0, topP: 0.999, temperature: 0.1 },
  ])('draws what ranking every id would draw (%o)', (overrides) => {
    const model = randomModel();
    const decoding = { ...base.decoding, ...overrides };
    expect(Array.from(createSampler(model).generate({ stop: { maxEvents: 150 }, decoding }))).toEqual(referencePiece(model, { ...decoding, maxEvents: 150 }));
  });

  it('keeps only the top-k ids', () => {
    const model = randomModel();
    const sampler = createSampler(model);
    const greedy = sampler.generate(decodedBy({ topK: 1 }));
    // Greedy decoding is independent of the seed.
    expect(sampler.generate(decodedBy({ topK: 1, seed: 99 }))).toEqual(greedy);
    expect(new Set(sampler.generate(decodedBy({ topK: 3 }, { stop: { maxEvents: 1 } })))).toSatisfy((ids: Set<number>) => ids.size === 1);
  });

  it('continues a primer: the primer changes what follows', () => {
    const sampler = createSampler(randomModel());
    expect(sampler.generate({ ...base, primer: { ids: [60, 300, 188] } })).not.toEqual(sampler.generate(base));
  });

  it('draws only ids the grammar allows, renormalised over them, and feeds what it forces', () => {
    const allowed = new Uint8Array(388);
    allowed[5] = 1;
    allowed[9] = 1;
    const accepted: number[] = [];
    const grammar = { allowed, reset() {}, observe() {}, accept: (id: number) => (accepted.push(id), id), forced: () => (accepted.length === 3 ? 300 : -1) };
    const sampler = createSampler(randomModel(), { secondsOf: () => 0, grammar: () => grammar });
    const ids = Array.from(sampler.generate({ ...base, stop: { maxEvents: 50 } }));
    expect(ids[3]).toBe(300);
    expect(ids.filter((id, index) => index !== 3).every((id) => id === 5 || id === 9)).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(accepted).toEqual(ids);
    expect(sampler.generate({ ...base, rules: false })).toEqual(createSampler(randomModel()).generate(base));
  });

  it('weighs each id by the guidance: weight 0 is never drawn, equal weights change nothing', () => {
    const model = randomModel();
    const sampler = createSampler(model);
    const onlyTwo = new Float64Array(model.shape.vocabSize);
    onlyTwo[5] = 1;
    onlyTwo[9] = 0.5;
    const ids = Array.from(sampler.generate(decodedBy({ topP: 0.95 }, { guidance: { idWeights: onlyTwo } })));
    expect(new Set(ids)).toEqual(new Set([5, 9]));
    expect(sampler.generate(decodedBy({ topP: 0.95 }, { guidance: { idWeights: new Float64Array(model.shape.vocabSize).fill(3) } }))).toEqual(
      sampler.generate(decodedBy({ topP: 0.95 })),
    );
  });

  it('with keepTotals, moves chance only within a range: as many draws from it, others among them', () => {
    const sampler = createSampler(randomModel());
    const range: [number, number] = [300, 388];
    const weights = new Float64Array(388).fill(1);
    for (let id = range[0]; id < range[1]; id++) weights[id] = id === 387 ? 1 : 0.01;
    const options: GenerateOptions = { ...base, stop: { maxEvents: 4_000 }, rules: false };
    const inRange = (ids: Uint16Array) => ids.filter((id) => id >= range[0] && id < range[1]);

    const plain = inRange(sampler.generate(options));
    const kept = inRange(sampler.generate({ ...options, guidance: { idWeights: weights, keepTotals: [range] } }));
    const lost = inRange(sampler.generate({ ...options, guidance: { idWeights: weights } }));

    expect(Math.abs(kept.length - plain.length)).toBeLessThan(0.2 * plain.length);
    expect(lost.length).toBeLessThan(0.5 * plain.length);
    expect(kept.filter((id) => id === 387).length).toBeGreaterThan(0.5 * kept.length);
  });

  it('gives a forbidden id\'s chance to the allowed ids of its sameKind range, in proportion', () => {
    const model = randomModel();
    const logits = Array.from(new LstmCell(model.shape, model.parameters).logits);
    const p = logits.map((logit) => Math.exp(logit - Math.max(...logits)));
    // Allowed: 5 and 6 of the range [5, 10), and 20 outside it; 7–9 are forbidden.
    const allowed = new Uint8Array(model.shape.vocabSize);
    for (const id of [5, 6, 20]) allowed[id] = 1;
    const grammarWith = (sameKind?: Array<[number, number]>) => ({
      allowed, ...(sameKind ? { sameKind } : {}), reset() {}, observe() {}, accept: (id: number) => id, forced: () => -1,
    });
    const inRangeShare = (sameKind?: Array<[number, number]>) => {
      const sampler = createSampler(model, { secondsOf: () => 0, grammar: () => grammarWith(sameKind) });
      let hits = 0;
      for (let seed = 1; seed <= 4000; seed++) if (sampler.generate(decodedBy({ seed }, { stop: { maxEvents: 1 } }))[0]! < 10) hits++;
      return hits / 4000;
    };
    const range = p[5]! + p[6]! + p[7]! + p[8]! + p[9]!;
    const expectedWith = range / (range + p[20]!);
    const expectedWithout = (p[5]! + p[6]!) / (p[5]! + p[6]! + p[20]!);
    const tolerance = 4 * Math.sqrt(0.25 / 4000);

    expect(Math.abs(inRangeShare([[5, 10]]) - expectedWith)).toBeLessThan(tolerance);
    expect(Math.abs(inRangeShare() - expectedWithout)).toBeLessThan(tolerance);
    expect(Math.abs(expectedWith - expectedWithout)).toBeGreaterThan(2 * tolerance);
  });

  it('stops at a length in seconds', () => {
    const sampler = createSampler(randomModel(), { secondsOf: () => 0.5 });
    expect(sampler.generate({ ...base, stop: { maxSeconds: 3 } })).toHaveLength(6);
  });

  it('stops at the deadline', () => {
    const sampler = createSampler(randomModel());
    expect(sampler.generate({ ...base, stop: { deadline: Date.now() - 1 } })).toHaveLength(0);
  });

  it.each([
    [decodedBy({ temperature: 0 }), /temperature/],
    [decodedBy({ topP: 0 }), /topP/],
    [decodedBy({ topK: -1 }), /topK/],
    [{ ...base, stop: {} }, /never stop/],
    [{ ...base, stop: { maxSeconds: 2 } }, /tokenizer/],
    [{ ...base, rules: { ...defaultRules, maxNoteSeconds: 0 } }, /maxNoteSeconds/],
    [{ ...base, rules: { ...defaultRules, maxPolyphony: 0.5 } }, /maxPolyphony/],
    [{ ...base, guidance: { idWeights: [1, 1] } }, /idWeights/],
    [{ ...base, primer: { ids: [60, 300], controls: [new Float32Array(0)] } }, /one vector per primer id/],
  ])('rejects %o', (options, message) => {
    expect(() => createSampler(randomModel()).generate(options)).toThrow(SamplingError);
    expect(() => createSampler(randomModel()).generate(options)).toThrow(message);
  });
});
