/**
 * One step of an exponential moving average of the weights (Polyak averaging): `average += rate × (parameters −
 * average)` with rate `1 − decay`. The decay ramps up as (1 + step) / (10 + step), so the first averages are not
 * dominated by the random start (TensorFlow's ExponentialMovingAverage with num_updates does the same).
 *
 * @example
 * updateWeightAverage(session.averageParameters, session.parameters, 0.999, state.step);
 */
export function updateWeightAverage(average: Float32Array, parameters: Float32Array, decay: number, step: number): void {
  if (average.length !== parameters.length) throw new RangeError(`average holds ${average.length} values, parameters ${parameters.length}`);
  const rate = 1 - Math.min(decay, (1 + step) / (10 + step));
  for (let i = 0; i < average.length; i++) average[i]! += rate * (parameters[i]! - average[i]!);
}
