import { describe, expect, it } from 'vitest';
import { evaluateNgram, fitNgramBaselines } from '../../../src/model/baselines.js';

const vocabSize = 10;
const cycle = Array.from({ length: 300 }, (_, i) => [1, 2, 3, 1, 2, 4][i % 6]!);

describe('n-gram baselines', () => {
  it('orders unigram > bigram > trigram NLL on data with two-step structure', () => {
    const models = fitNgramBaselines([cycle], vocabSize);
    const [unigram, bigram, trigram] = (['unigram', 'bigram', 'trigram'] as const).map((name) => evaluateNgram(models[name], [cycle]).nllNatsPerEvent);
    expect(unigram).toBeGreaterThan(bigram!);
    expect(bigram).toBeGreaterThan(trigram!);
    // After (1, 2) both 3 and 4 follow: ln 2 on a third of the events, plus a little smoothing.
    expect(trigram).toBeLessThan(0.3);
  });

  it('gives every id a probability, and each distribution sums to one', () => {
    const { trigram, bigram, unigram } = fitNgramBaselines([cycle], vocabSize);
    for (const model of [unigram, bigram, trigram]) {
      let sum = 0;
      for (let next = 0; next < vocabSize; next++) {
        const p = model.probability([1, 2], 2, next);
        expect(p).toBeGreaterThan(0);
        sum += p;
      }
      expect(sum).toBeCloseTo(1, 9);
    }
  });

  it('counts every event after the first of each sequence', () => {
    const { unigram } = fitNgramBaselines([cycle], vocabSize);
    expect(evaluateNgram(unigram, [[1, 2, 3], [4]]).events).toBe(2);
  });
});
