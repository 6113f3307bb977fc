/** Histograms of several sets of values on the same bins. */
export interface SharedHistograms {
  /** binCount + 1 edges from the smallest to the largest value of the span. */
  edges: number[];
  /** Per set, the share of its values in each bin (sums to 1 less its share outside the span; zeros for an empty set). */
  shares: number[][];
}

/** Bins per histogram: with 48 values per set, about five per bin. */
export const defaultBinCount = 10;

/**
 * Histograms of `sets` on `binCount` equal bins spanning the values of `span` (default: all the sets' values), so
 * they can be compared bin by bin; a value outside the span counts in no bin. When every value of the span is the
 * same, it is one bin.
 * @example sharedHistograms([[1, 2], [2, 3]], 2) // { edges: [1, 2, 3], shares: [[0.5, 0.5], [0, 1]] }
 */
export function sharedHistograms(
  sets: readonly (readonly number[])[],
  binCount = defaultBinCount,
  span: readonly number[] = sets.flat(),
): SharedHistograms {
  const all = span.filter(Number.isFinite);
  const low = all.length > 0 ? Math.min(...all) : 0;
  const high = all.length > 0 ? Math.max(...all) : 0;
  const width = (high - low) / binCount;
  const edges = Array.from({ length: binCount + 1 }, (_, i) => (i === binCount ? high : low + i * width));
  const shares = sets.map((values) => {
    const counts = new Array<number>(binCount).fill(0);
    const finite = values.filter(Number.isFinite);
    for (const value of finite) {
      if (value < low || value > high) continue;
      counts[width > 0 ? Math.min(binCount - 1, Math.floor((value - low) / width)) : 0]! += 1;
    }
    return counts.map((count) => (finite.length > 0 ? count / finite.length : 0));
  });
  return { edges, shares };
}

/**
 * Overlapped area of the distribution of `values` with that of `target` (Yang & Lerch, "On the evaluation of
 * generative models in music", 2018), from histograms on shared bins: Σ min(p, q). 1 for the same distribution, 0 for
 * ones that never meet. The bins span the target's values: bins spanning both sets would let a single far-off value
 * of `values` squeeze everything else into one bin and read as agreement.
 * @example overlappedArea([1, 2, 3], [1, 2, 3]) // 1
 */
export function overlappedArea(values: readonly number[], target: readonly number[], binCount = defaultBinCount): number {
  const { shares } = sharedHistograms([values, target], binCount, target);
  return shares[0]!.reduce((sum, share, bin) => sum + Math.min(share, shares[1]![bin]!), 0);
}
