/**
 * Scales `gradients` in place so their global L2 norm is at most `maxNorm`; returns the norm before clipping.
 *
 * @example
 * const norm = clipByGlobalNorm(gradients, 1);
 */
export function clipByGlobalNorm(gradients: Float32Array, maxNorm: number): number {
  let sumOfSquares = 0;
  for (let i = 0; i < gradients.length; i++) sumOfSquares += gradients[i]! * gradients[i]!;
  const norm = Math.sqrt(sumOfSquares);
  if (norm > maxNorm && norm > 0) {
    const scale = maxNorm / norm;
    for (let i = 0; i < gradients.length; i++) gradients[i]! *= scale;
  }
  return norm;
}
