/** Input a chart cannot be drawn from (no points, no notes, an unreadable progress line), with what to fix. */
export class PlotError extends Error {
  override readonly name = 'PlotError';
}
