import { binVelocity, PERFORMANCE_VOCAB_SIZE, VELOCITY_BASE, VELOCITY_BINS } from '../../tokens/performance-ids.js';
import { dynamicsMarks, type ControlSpec, type DynamicsMark } from './control-spec.js';

/** The VELOCITY ids: dynamics guidance moves chance between them, never to or from other events. */
export const velocityIds = [VELOCITY_BASE, VELOCITY_BASE + VELOCITY_BINS] as const;

/**
 * Spread of velocities in real playing (a 30-s excerpt's standard deviation is about 14). Tilting a distribution of
 * that spread by exp(β·v) moves its mean by β·spread² and leaves its spread alone, so the lean asks for
 * β = strength × (mark's centre − neutral) / spread².
 */
const velocitySpread = 14;

/**
 * The share of the mark's distance from neutral that the lean asks of each VELOCITY event. Small, because the model
 * reads its own velocities back and the lean compounds: default model, seed 3, mean velocity for pp / p / mf / ff at
 * 1: 18 / 30 / 78 / 105; at 0.25: 37 / 54 / 71 / 93; at 0.1: 47 / 59 / 73 / 86 (no lean: p 65, mf 69). The standard
 * deviation stays 11–17 (real playing about 14). `npm run bench -- control`, 4 seeds per mark, mean velocity pp…ff: no
 * lean 46.8 / 64.2 / 70.9 / 70.0 / 79.8 / 83.9 (mp above mf); 0.1 45.3 / 60.2 / 66.5 / 71.0 / 80.7 / 82.5; 0.15
 * 41.2 / 59.3 / 64.9 / 75.2 / 82.5 / 87.1.
 */
export const dynamicsGuidanceStrength = 0.15;

/**
 * The middle of a mark's velocities: between the corpus quantile edges around it; pp and ff, open-ended, half their
 * neighbour's width beyond their edge.
 */
export function markCentre(spec: ControlSpec, mark: DynamicsMark): number {
  const edges = spec.dynamicsEdges;
  const index = dynamicsMarks.indexOf(mark);
  if (index === 0) return edges[0]! - (edges[1]! - edges[0]!) / 2;
  if (index === edges.length) return edges.at(-1)! + (edges.at(-1)! - edges.at(-2)!) / 2;
  return (edges[index - 1]! + edges[index]!) / 2;
}

/**
 * Per-id multipliers for the sampler (`GenerateOptions.idWeights`, with {@link velocityIds} kept at their total) that
 * tilt VELOCITY events toward `mark`: louder or softer, as varied as the model makes them. The trained input alone
 * sets a piece's loudness, but neighbouring marks overlap (their window means are 6–7 apart while a piece's velocities
 * spread about 14). Every other event keeps weight 1.
 */
export function dynamicsGuidance(spec: ControlSpec, mark: DynamicsMark, strength = dynamicsGuidanceStrength): Float64Array {
  const neutral = spec.dynamicsEdges[Math.floor(spec.dynamicsEdges.length / 2)]!;
  const tilt = (strength * (markCentre(spec, mark) - neutral)) / velocitySpread ** 2;
  const weights = new Float64Array(PERFORMANCE_VOCAB_SIZE).fill(1);
  for (let bin = 0; bin < VELOCITY_BINS; bin++) weights[VELOCITY_BASE + bin] = Math.exp(tilt * (binVelocity(bin) - neutral));
  return weights;
}
