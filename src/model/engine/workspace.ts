import { firstLayerInputSize, type ModelShape } from '../config.js';
import type { LstmWeights } from './network-weights.js';

/**
 * Every buffer one window of batch × steps needs, allocated once and reused so a long run does not grow. Rows are
 * time-major (row = t · batch + b) so one time step is one contiguous block.
 */
export class Workspace {
  /** Layer-0 inputs [T·B, E + controls]. */
  readonly embedded: Float32Array;
  /** Per layer [(T+1)·B, U]: block 0 holds the initial state, block t+1 the state after step t. */
  readonly hidden: Float32Array[];
  readonly cell: Float32Array[];
  /** Per layer tanh(c_t) [T·B, U]. */
  readonly tanhCell: Float32Array[];
  /** Per layer activated gates [T·B, 4U], order i, f, c, o; the cell-input block holds σ(2z), not tanh(z). */
  readonly gates: Float32Array[];
  /** Forward: x·W + b for a layer; backward: d(loss)/d(pre-activation gates) of a layer. [T·B, 4U]. */
  readonly gateScratch: Float32Array;
  /** Logits [T·B, V], turned into their gradient in place. */
  readonly logits: Float32Array;
  /** Incoming and outgoing d(loss)/d(layer output), [T·B, max(U, E + controls)], swapped layer by layer. */
  readonly outputGradients: [Float32Array, Float32Array];
  /**
   * Per layer kernel, recurrent kernel and bias with the cell-input columns doubled, for the forward step; the
   * recurrent kernel is stored transposed, [4U, U] (see `graphs.lstmStep`).
   */
  readonly scaledWeights: LstmWeights[];
  /** Backward carries for one step: d/dh from the recurrence and d/dc, [B, U]. */
  readonly recurrentGradient: Float32Array;
  readonly cellGradient: Float32Array;
  private readonly dropout: Array<{ factors: Float32Array; dropped: Float32Array }> = [];

  constructor(
    shape: ModelShape,
    readonly batchSize: number,
    readonly steps: number,
  ) {
    const rows = batchSize * steps;
    const { units, layers, vocabSize } = shape;
    const inputSize = firstLayerInputSize(shape);
    const perLayer = (size: number) => Array.from({ length: layers }, () => new Float32Array(size));
    this.embedded = new Float32Array(rows * inputSize);
    this.hidden = perLayer((rows + batchSize) * units);
    this.cell = perLayer((rows + batchSize) * units);
    this.tanhCell = perLayer(rows * units);
    this.gates = perLayer(rows * 4 * units);
    this.gateScratch = new Float32Array(rows * 4 * units);
    this.logits = new Float32Array(rows * vocabSize);
    const widest = rows * Math.max(units, inputSize);
    this.outputGradients = [new Float32Array(widest), new Float32Array(widest)];
    this.scaledWeights = Array.from({ length: layers }, (_, layer) => ({
      kernel: new Float32Array((layer === 0 ? inputSize : units) * 4 * units),
      recurrentKernel: new Float32Array(units * 4 * units),
      bias: new Float32Array(4 * units),
    }));
    this.recurrentGradient = new Float32Array(batchSize * units);
    this.cellGradient = new Float32Array(batchSize * units);
  }

  /**
   * For dropout on connection `slot` (see `dropoutFactors`): each value's factor and the dropped input, [T·B, width];
   * allocated on first use, so runs without dropout pay nothing.
   */
  dropoutBuffers(slot: number, width: number): { factors: Float32Array; dropped: Float32Array } {
    const size = this.batchSize * this.steps * width;
    const buffers = this.dropout[slot];
    if (buffers && buffers.factors.length === size) return buffers;
    return (this.dropout[slot] = { factors: new Float32Array(size), dropped: new Float32Array(size) });
  }

  fits(batchSize: number, steps: number): boolean {
    return batchSize === this.batchSize && steps === this.steps;
  }
}
