import type { LstmWeights } from './network-weights.js';
import { matrix, type Matrix, type OnnxKernels } from './onnx-kernels.js';
import type { Workspace } from './workspace.js';

/**
 * Runs one LSTM layer over a window: the input projection of all steps in one product, then the recurrence step by
 * step in the fused onnx step graph, filling the workspace's hidden, cell, tanh(cell) and gate buffers of `layer`.
 * Block 0 of hidden/cell must already hold the initial state.
 */
export async function forwardLstmLayer(
  kernels: OnnxKernels,
  workspace: Workspace,
  layer: number,
  input: Matrix,
  weights: LstmWeights,
): Promise<void> {
  const { batchSize, steps } = workspace;
  const units = weights.bias.length / 4;
  const gateWidth = 4 * units;
  const scaled = workspace.scaledWeights[layer]!;
  for (const part of ['kernel', 'bias'] as const) doubleCellInputColumns(weights[part], scaled[part], units);
  transposeDoublingCellInput(weights.recurrentKernel, scaled.recurrentKernel, units);
  const projected = workspace.gateScratch;
  await kernels.matmul(input, matrix(scaled.kernel, input.cols, gateWidth), matrix(projected, steps * batchSize, gateWidth), scaled.bias);
  const transposedRecurrentKernel = matrix(scaled.recurrentKernel, gateWidth, units);
  const hidden = workspace.hidden[layer]!;
  const cell = workspace.cell[layer]!;
  const stateBlock = batchSize * units;
  const gateBlock = batchSize * gateWidth;
  const block = (data: Float32Array, index: number, size: number, width: number) =>
    matrix(data.subarray(index * size, (index + 1) * size), batchSize, width);
  for (let t = 0; t < steps; t++) {
    await kernels.lstmStep(
      { x: block(projected, t, gateBlock, gateWidth), h: block(hidden, t, stateBlock, units), c: block(cell, t, stateBlock, units), transposedRecurrentKernel },
      {
        gates: block(workspace.gates[layer]!, t, gateBlock, gateWidth),
        c: block(cell, t + 1, stateBlock, units),
        tanhC: block(workspace.tanhCell[layer]!, t, stateBlock, units),
        h: block(hidden, t + 1, stateBlock, units),
      },
    );
  }
}

/** Copies [rows, 4U] gate-ordered weights, doubling the cell-input block (columns 2U…3U): see the step graph. */
function doubleCellInputColumns(source: Float32Array, target: Float32Array, units: number): void {
  target.set(source);
  for (let row = 0; row < source.length; row += 4 * units)
    for (let j = row + 2 * units; j < row + 3 * units; j++) target[j] = 2 * source[j]!;
}

/** The recurrent kernel [U, 4U] transposed into [4U, U], with the cell-input rows (2U…3U) doubled like the columns above. */
function transposeDoublingCellInput(source: Float32Array, target: Float32Array, units: number): void {
  const gateWidth = 4 * units;
  for (let gate = 0; gate < gateWidth; gate++) {
    const scale = gate >= 2 * units && gate < 3 * units ? 2 : 1;
    const row = gate * units;
    for (let k = 0; k < units; k++) target[row + k] = scale * source[k * gateWidth + gate]!;
  }
}
