import type { LstmWeights } from './network-weights.js';
import { matrix, type Matrix, type OnnxKernels } from './onnx-kernels.js';
import type { Workspace } from './workspace.js';

/**
 * Backpropagation through time for one LSTM layer whose forward buffers are in the workspace. Only the recurrent
 * products go step by step; the kernel, recurrent-kernel and input gradients are one product each over the window.
 *
 * @param outputGradient d(loss)/d(h_t) from the layer above or the dense layer, [T·B, U].
 * @param inputGradient receives d(loss)/d(input), [T·B, in]; omitted when nothing below needs it.
 */
export async function backwardLstmLayer(
  kernels: OnnxKernels,
  workspace: Workspace,
  layer: number,
  input: Matrix,
  weights: LstmWeights,
  gradients: LstmWeights,
  outputGradient: Float32Array,
  inputGradient?: Matrix,
): Promise<void> {
  const { batchSize, steps } = workspace;
  const units = weights.bias.length / 4;
  const gateWidth = 4 * units;
  const rows = batchSize * steps;
  const gateGradients = workspace.gateScratch;
  const gates = workspace.gates[layer]!;
  const tanhCell = workspace.tanhCell[layer]!;
  const cell = workspace.cell[layer]!;
  const recurrentGradient = workspace.recurrentGradient.fill(0);
  const cellGradient = workspace.cellGradient.fill(0);
  const recurrentKernel = matrix(weights.recurrentKernel, units, gateWidth);

  for (let t = steps - 1; t >= 0; t--) {
    for (let b = 0; b < batchSize; b++) {
      const row = t * batchSize + b;
      const stateRow = row * units;
      const gateRow = row * gateWidth;
      const carryRow = b * units;
      const previousCellRow = stateRow; // block t of the cell buffer holds c_{t-1}
      for (let u = 0; u < units; u++) {
        const i = gates[gateRow + u]!;
        const f = gates[gateRow + units + u]!;
        const g = 2 * gates[gateRow + 2 * units + u]! - 1; // the forward step stores σ(2z) for the cell input
        const o = gates[gateRow + 3 * units + u]!;
        const tc = tanhCell[stateRow + u]!;
        const dh = outputGradient[stateRow + u]! + recurrentGradient[carryRow + u]!;
        const dc = dh * o * (1 - tc * tc) + cellGradient[carryRow + u]!;
        gateGradients[gateRow + u] = dc * g * i * (1 - i);
        gateGradients[gateRow + units + u] = dc * cell[previousCellRow + u]! * f * (1 - f);
        gateGradients[gateRow + 2 * units + u] = dc * i * (1 - g * g);
        gateGradients[gateRow + 3 * units + u] = dh * tc * o * (1 - o);
        cellGradient[carryRow + u] = dc * f;
      }
    }
    if (t > 0) {
      const stepGradients = matrix(gateGradients.subarray(t * batchSize * gateWidth, (t + 1) * batchSize * gateWidth), batchSize, gateWidth);
      await kernels.matmulTransB(stepGradients, recurrentKernel, matrix(recurrentGradient, batchSize, units));
    }
  }

  const allGateGradients = matrix(gateGradients, rows, gateWidth);
  await kernels.matmulTransA(input, allGateGradients, matrix(gradients.kernel, input.cols, gateWidth));
  const previousHidden = matrix(workspace.hidden[layer]!.subarray(0, rows * units), rows, units);
  await kernels.matmulTransA(previousHidden, allGateGradients, matrix(gradients.recurrentKernel, units, gateWidth));
  sumRows(gateGradients, rows, gateWidth, gradients.bias);
  if (inputGradient) await kernels.matmulTransB(allGateGradients, matrix(weights.kernel, input.cols, gateWidth), inputGradient);
}

/** out[j] = Σ_rows data[row, j]. */
export function sumRows(data: Float32Array, rows: number, cols: number, out: Float32Array): void {
  out.fill(0);
  for (let row = 0; row < rows; row++) {
    const start = row * cols;
    for (let j = 0; j < cols; j++) out[j]! += data[start + j]!;
  }
}
