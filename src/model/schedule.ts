export interface LearningRateSchedule {
  peak: number;
  floor: number;
  warmupSteps: number;
  /** Step at which the cosine reaches the floor; afterwards the rate stays there. */
  totalSteps: number;
}

/**
 * Linear warm-up from peak/warmupSteps to `peak`, then cosine decay to `floor` at `totalSteps`. `step` counts from 0.
 *
 * @example
 * learningRateAt({ peak: 2e-3, floor: 2e-4, warmupSteps: 100, totalSteps: 10_000 }, 5_000);
 */
export function learningRateAt(schedule: LearningRateSchedule, step: number): number {
  const { peak, floor, warmupSteps, totalSteps } = schedule;
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const progress = Math.min(1, (step - warmupSteps) / decaySteps);
  return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
}
