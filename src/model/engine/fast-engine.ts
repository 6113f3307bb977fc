import { firstLayerInputSize, parameterCount, type ModelShape } from '../config.js';
import { checkBatch } from './check-batch.js';
import { activeDropout, dropoutFactors, multiplyInto, type Dropout } from './dropout.js';
import type { Batch, BatchResult, GradientEngine, RecurrentState } from './engine.js';
import { backwardLstmLayer, sumRows } from './lstm-backward.js';
import { forwardLstmLayer } from './lstm-forward.js';
import { networkWeights } from './network-weights.js';
import { matrix, OnnxKernels, type Matrix } from './onnx-kernels.js';
import { softmaxCrossEntropy } from './softmax-loss.js';
import { Workspace } from './workspace.js';

/**
 * The fast engine: forward pass and backpropagation through time written out by hand, matrix products and the
 * forward LSTM step in onnxruntime (one thread), element-wise work in plain JS. Calls must not overlap.
 *
 * @example
 * const engine = await createFastEngine(defaultModelShape);
 * const { loss } = await engine.lossAndGradients(parameters, batch, gradients);
 */
export async function createFastEngine(shape: ModelShape): Promise<GradientEngine> {
  return new FastEngine(shape, await OnnxKernels.create());
}

class FastEngine implements GradientEngine {
  readonly name = 'fast';
  /** Most recently used first; two so alternating training and validation batch shapes do not reallocate. */
  private workspaces: Workspace[] = [];
  /** onnxruntime refuses SharedArrayBuffer-backed inputs and outputs: such parameters are copied here first. */
  private readonly ownParameters: Float32Array;
  private readonly ownGradients: Float32Array;

  constructor(
    readonly shape: ModelShape,
    private readonly kernels: OnnxKernels,
  ) {
    this.ownParameters = new Float32Array(parameterCount(shape));
    this.ownGradients = new Float32Array(parameterCount(shape));
  }

  async lossAndGradients(parameters: Float32Array, batch: Batch, gradients: Float32Array): Promise<BatchResult> {
    if (gradients.length !== this.ownGradients.length)
      throw new RangeError(`gradients need ${this.ownGradients.length} floats, got ${gradients.length}`);
    const result = await this.forward(parameters, batch, true);
    await this.backward(parameters, batch);
    gradients.set(this.ownGradients);
    return result;
  }

  loss(parameters: Float32Array, batch: Batch): Promise<BatchResult> {
    return this.forward(parameters, batch, false);
  }

  async dispose(): Promise<void> {
    await this.kernels.dispose();
  }

  private async forward(parameters: Float32Array, batch: Batch, withGradients: boolean): Promise<BatchResult> {
    checkBatch(this.shape, batch);
    if (parameters.length !== this.ownParameters.length)
      throw new RangeError(`parameters need ${this.ownParameters.length} floats, got ${parameters.length}`);
    const { batchSize, steps } = batch;
    const { units, layers, vocabSize } = this.shape;
    const rows = batchSize * steps;
    const workspace = this.workspaceFor(batchSize, steps);
    const weights = networkWeights(this.shape, this.usable(parameters));
    const dropout = activeDropout(batch.dropout);

    embed(weights.embeddings, this.shape, batch, workspace.embedded);
    for (let layer = 0; layer < layers; layer++) {
      const state = batch.initialState;
      const blockSize = batchSize * units;
      if (state) {
        workspace.hidden[layer]!.set(state.h[layer]!);
        workspace.cell[layer]!.set(state.c[layer]!);
      } else {
        workspace.hidden[layer]!.fill(0, 0, blockSize);
        workspace.cell[layer]!.fill(0, 0, blockSize);
      }
      await forwardLstmLayer(this.kernels, workspace, layer, this.dropInput(workspace, layer, dropout), weights.lstm[layer]!);
    }
    const top = this.dropInput(workspace, layers, dropout);
    await this.kernels.matmul(top, matrix(weights.denseKernel, units, vocabSize), matrix(workspace.logits, rows, vocabSize), weights.denseBias);
    const targetOf = (row: number) => batch.targets[(row % batchSize) * steps + Math.floor(row / batchSize)]!;
    const sums = softmaxCrossEntropy(workspace.logits, vocabSize, rows, targetOf, withGradients ? 1 / rows : undefined);

    const finalBlock = (data: Float32Array) => data.slice(rows * units, (rows + batchSize) * units);
    const finalState: RecurrentState = { h: workspace.hidden.map(finalBlock), c: workspace.cell.map(finalBlock) };
    return { loss: sums.nllSum / rows, correct: sums.correct, count: rows, finalState };
  }

  /** Runs after `forward(…, true)`, whose buffers (logits already turned into their gradient) it reads. */
  private async backward(parameters: Float32Array, batch: Batch): Promise<void> {
    const workspace = this.workspaces[0]!;
    const { batchSize, steps } = batch;
    const { units, layers, vocabSize, embeddingSize } = this.shape;
    const rows = batchSize * steps;
    const weights = networkWeights(this.shape, this.usable(parameters));
    const gradients = networkWeights(this.shape, this.ownGradients);
    const logitGradients = matrix(workspace.logits, rows, vocabSize);
    const dropout = activeDropout(batch.dropout);
    // d/d(input) of a dropped connection is d/d(dropped input) × the same factors.
    const throughDropout = (slot: number, gradient: Float32Array, cols: number) => {
      if (dropout) multiplyInto(gradient, workspace.dropoutBuffers(slot, cols).factors, gradient, rows * cols);
    };

    await this.kernels.matmulTransA(this.connectionInput(workspace, layers, dropout), logitGradients, matrix(gradients.denseKernel, units, vocabSize));
    sumRows(workspace.logits, rows, vocabSize, gradients.denseBias);
    let [incoming, outgoing] = workspace.outputGradients;
    await this.kernels.matmulTransB(logitGradients, matrix(weights.denseKernel, units, vocabSize), matrix(incoming.subarray(0, rows * units), rows, units));
    throughDropout(layers, incoming, units);
    for (let layer = layers - 1; layer >= 0; layer--) {
      const input = this.connectionInput(workspace, layer, dropout);
      const inputGradient = matrix(outgoing.subarray(0, rows * input.cols), rows, input.cols);
      await backwardLstmLayer(this.kernels, workspace, layer, input, weights.lstm[layer]!, gradients.lstm[layer]!, incoming, inputGradient);
      throughDropout(layer, outgoing, input.cols);
      [incoming, outgoing] = [outgoing, incoming];
    }
    scatterEmbeddingGradient(incoming, embeddingSize, firstLayerInputSize(this.shape), batch, gradients.embeddings);
  }

  /** Layer inputs [T·B, in]: the embedded tokens (and controls) for layer 0, else the hidden states of the layer below. */
  private layerInput(workspace: Workspace, layer: number): Matrix {
    const rows = workspace.batchSize * workspace.steps;
    if (layer === 0) return matrix(workspace.embedded, rows, firstLayerInputSize(this.shape));
    const { units } = this.shape;
    return matrix(workspace.hidden[layer - 1]!.subarray(workspace.batchSize * units), rows, units);
  }

  /** Connection `slot`'s input with this batch's dropout applied (the factors kept for the backward pass). */
  private dropInput(workspace: Workspace, slot: number, dropout: Dropout | undefined): Matrix {
    const input = this.layerInput(workspace, slot);
    if (!dropout) return input;
    const { factors, dropped } = workspace.dropoutBuffers(slot, input.cols);
    dropoutFactors(dropout, slot, workspace.batchSize, workspace.steps, input.cols, factors);
    multiplyInto(input.data, factors, dropped, input.data.length);
    return matrix(dropped, input.rows, input.cols);
  }

  /** What connection `slot` fed its layer in the last forward pass. */
  private connectionInput(workspace: Workspace, slot: number, dropout: Dropout | undefined): Matrix {
    const input = this.layerInput(workspace, slot);
    return dropout ? matrix(workspace.dropoutBuffers(slot, input.cols).dropped, input.rows, input.cols) : input;
  }

  private workspaceFor(batchSize: number, steps: number): Workspace {
    const workspace = this.workspaces.find((candidate) => candidate.fits(batchSize, steps)) ?? new Workspace(this.shape, batchSize, steps);
    this.workspaces = [workspace, ...this.workspaces.filter((other) => other !== workspace)].slice(0, 2);
    return workspace;
  }

  private usable(parameters: Float32Array): Float32Array {
    if (!(parameters.buffer instanceof SharedArrayBuffer)) return parameters;
    this.ownParameters.set(parameters);
    return this.ownParameters;
  }
}

/**
 * Embedding lookup into time-major rows: row t·B + b holds the embedding of inputs[b·T + t], followed by that
 * position's controls (zeros when the batch gives none).
 */
function embed(embeddings: Float32Array, shape: ModelShape, batch: Batch, out: Float32Array): void {
  const { batchSize, steps, inputs, controls } = batch;
  const width = shape.embeddingSize;
  const controlSize = shape.controlSize ?? 0;
  const rowWidth = width + controlSize;
  for (let t = 0; t < steps; t++)
    for (let b = 0; b < batchSize; b++) {
      const token = inputs[b * steps + t]!;
      const row = (t * batchSize + b) * rowWidth;
      out.set(embeddings.subarray(token * width, (token + 1) * width), row);
      if (controlSize === 0) continue;
      if (controls) out.set(controls.subarray((b * steps + t) * controlSize, (b * steps + t + 1) * controlSize), row + width);
      else out.fill(0, row + width, row + rowWidth);
    }
}

/** d(loss)/d(embeddings): each row's input gradient (its first `width` columns) added to its token's embedding row. */
function scatterEmbeddingGradient(rowGradients: Float32Array, width: number, rowWidth: number, batch: Batch, out: Float32Array): void {
  const { batchSize, steps, inputs } = batch;
  out.fill(0);
  for (let t = 0; t < steps; t++)
    for (let b = 0; b < batchSize; b++) {
      const target = inputs[b * steps + t]! * width;
      const source = (t * batchSize + b) * rowWidth;
      for (let j = 0; j < width; j++) out[target + j]! += rowGradients[source + j]!;
    }
}
