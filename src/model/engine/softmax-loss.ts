export interface LossSums {
  /** Sum of −log p(target) over the rows, in nats. */
  nllSum: number;
  /** Rows whose arg-max logit is the target (ties go to the lowest id, as tfjs's argMax). */
  correct: number;
}

/**
 * Softmax cross-entropy over rows of logits. With `gradientScale`, overwrites the logits in place with
 * d(scale · Σ nll)/d(logits) = scale · (softmax − one-hot), which the backward pass needs next.
 *
 * @param targetOf maps a row to its target id (rows are time-major inside the engine, targets batch-major).
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  vocabSize: number,
  rows: number,
  targetOf: (row: number) => number,
  gradientScale?: number,
): LossSums {
  let nllSum = 0;
  let correct = 0;
  for (let row = 0; row < rows; row++) {
    const start = row * vocabSize;
    const end = start + vocabSize;
    let max = -Infinity;
    let best = 0;
    for (let i = start; i < end; i++) {
      const value = logits[i]!;
      if (value > max) {
        max = value;
        best = i - start;
      }
    }
    let sum = 0;
    for (let i = start; i < end; i++) sum += Math.exp(logits[i]! - max);
    const target = targetOf(row);
    nllSum += Math.log(sum) - (logits[start + target]! - max);
    if (best === target) correct++;
    if (gradientScale !== undefined) {
      const scale = gradientScale / sum;
      for (let i = start; i < end; i++) logits[i] = Math.exp(logits[i]! - max) * scale;
      logits[start + target]! -= gradientScale;
    }
  }
  return { nllSum, correct };
}
