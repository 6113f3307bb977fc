import type { EvaluationScores } from './manifest.js';
import { scoresOf } from './evaluate.js';

/** A count-based next-event model: the yardstick the LSTM must beat on the same events. */
export interface NgramModel {
  readonly order: 1 | 2 | 3;
  /** Probability of `next` after the preceding ids `history` (only the last order−1 are used). */
  probability(history: ArrayLike<number>, end: number, next: number): number;
}

/**
 * Fits unigram (add-one), bigram and trigram models with Witten–Bell interpolation (each order backs off to the one
 * below in proportion to how many distinct continuations its context has seen) on the training sequences.
 *
 * @example
 * const { trigram } = fitNgramBaselines(trainTokens, 388);
 */
export function fitNgramBaselines(sequences: readonly ArrayLike<number>[], vocabSize: number): Record<'unigram' | 'bigram' | 'trigram', NgramModel> {
  const unigramCounts = new Float64Array(vocabSize);
  const bigramCounts = new Float64Array(vocabSize * vocabSize);
  const bigramContextTotals = new Float64Array(vocabSize);
  const bigramContextTypes = new Float64Array(vocabSize);
  const trigramCounts = new Map<number, number>();
  const trigramContextTotals = new Float64Array(vocabSize * vocabSize);
  const trigramContextTypes = new Float64Array(vocabSize * vocabSize);
  let total = 0;
  for (const ids of sequences) {
    for (let i = 0; i < ids.length; i++) {
      const w = ids[i]!;
      unigramCounts[w]! += 1;
      total += 1;
      if (i < 1) continue;
      const v = ids[i - 1]!;
      if (bigramCounts[v * vocabSize + w] === 0) bigramContextTypes[v]! += 1;
      bigramCounts[v * vocabSize + w]! += 1;
      bigramContextTotals[v]! += 1;
      if (i < 2) continue;
      const context = ids[i - 2]! * vocabSize + v;
      const key = context * vocabSize + w;
      const seen = trigramCounts.get(key) ?? 0;
      if (seen === 0) trigramContextTypes[context]! += 1;
      trigramCounts.set(key, seen + 1);
      trigramContextTotals[context]! += 1;
    }
  }
  const unigram = (w: number) => (unigramCounts[w]! + 1) / (total + vocabSize);
  const bigram = (v: number, w: number) => {
    const seen = bigramContextTotals[v]!;
    const types = bigramContextTypes[v]!;
    if (seen === 0) return unigram(w);
    return (bigramCounts[v * vocabSize + w]! + types * unigram(w)) / (seen + types);
  };
  const trigram = (u: number, v: number, w: number) => {
    const context = u * vocabSize + v;
    const seen = trigramContextTotals[context]!;
    const types = trigramContextTypes[context]!;
    if (seen === 0) return bigram(v, w);
    return ((trigramCounts.get(context * vocabSize + w) ?? 0) + types * bigram(v, w)) / (seen + types);
  };
  return {
    unigram: { order: 1, probability: (_history, _end, next) => unigram(next) },
    bigram: { order: 2, probability: (history, end, next) => (end >= 1 ? bigram(history[end - 1]!, next) : unigram(next)) },
    trigram: {
      order: 3,
      probability: (history, end, next) =>
        end >= 2 ? trigram(history[end - 2]!, history[end - 1]!, next) : end === 1 ? bigram(history[0]!, next) : unigram(next),
    },
  };
}

/**
 * Scores an n-gram model on the same events the LSTM is scored on: every id after the first of each sequence.
 * Accuracy is not computed for baselines (reported as 0); they are compared by NLL.
 */
export function evaluateNgram(model: NgramModel, sequences: readonly ArrayLike<number>[]): EvaluationScores {
  let totalLoss = 0;
  let count = 0;
  for (const ids of sequences) {
    for (let i = 1; i < ids.length; i++) {
      totalLoss -= Math.log(model.probability(ids, i, ids[i]!));
      count += 1;
    }
  }
  return scoresOf(totalLoss, 0, count);
}
