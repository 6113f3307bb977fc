/** Serialisable Adam state: first and second moments and the number of updates taken. */
export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  t: number;
}

export interface AdamSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const defaultAdamSettings: AdamSettings = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

export function createAdamState(size: number): AdamState {
  return { m: new Float32Array(size), v: new Float32Array(size), t: 0 };
}

/**
 * One Adam update with bias correction, in place on `parameters` and `state`. With `weightDecay` > 0 the entries
 * flagged in `decayMask` also shrink by `learningRate × weightDecay` (decoupled, AdamW style).
 *
 * @example
 * const state = createAdamState(parameters.length);
 * adamStep(parameters, gradients, state, 1e-3);
 */
export function adamStep(
  parameters: Float32Array,
  gradients: Float32Array,
  state: AdamState,
  learningRate: number,
  weightDecay = 0,
  decayMask?: Uint8Array,
  settings: AdamSettings = defaultAdamSettings,
): void {
  const { beta1, beta2, epsilon } = settings;
  state.t += 1;
  const correction1 = 1 - Math.pow(beta1, state.t);
  const correction2 = 1 - Math.pow(beta2, state.t);
  const stepSize = (learningRate * Math.sqrt(correction2)) / correction1;
  // epsilon scaled the same way as tfjs's Adam, which adds it to the bias-corrected sqrt(v).
  const scaledEpsilon = epsilon * Math.sqrt(correction2);
  const { m, v } = state;
  const decay = learningRate * weightDecay;
  for (let i = 0; i < parameters.length; i++) {
    const g = gradients[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    let p = parameters[i]! - (stepSize * mi) / (Math.sqrt(vi) + scaledEpsilon);
    if (decay > 0 && (decayMask === undefined || decayMask[i] === 1)) p -= decay * parameters[i]!;
    parameters[i] = p;
  }
}
