import { parameterLayout, type ModelShape } from '../config.js';

export interface LstmWeights {
  kernel: Float32Array; // [in, 4U]
  recurrentKernel: Float32Array; // [U, 4U]
  bias: Float32Array; // [4U]
}

/** Named views into a flat vector laid out by `parameterLayout`: parameters and gradients share this shape. */
export interface NetworkWeights {
  embeddings: Float32Array; // [V, E]
  lstm: LstmWeights[];
  denseKernel: Float32Array; // [U, V]
  denseBias: Float32Array; // [V]
}

/** Views (no copies) of each tensor of the flat vector. */
export function networkWeights(shape: ModelShape, flat: Float32Array): NetworkWeights {
  const views = new Map(parameterLayout(shape).map((spec) => [spec.name, flat.subarray(spec.offset, spec.offset + spec.size)]));
  const view = (name: string) => views.get(name)!;
  return {
    embeddings: view('embedding/embeddings'),
    lstm: Array.from({ length: shape.layers }, (_, layer) => ({
      kernel: view(`lstm_${layer + 1}/kernel`),
      recurrentKernel: view(`lstm_${layer + 1}/recurrent_kernel`),
      bias: view(`lstm_${layer + 1}/bias`),
    })),
    denseKernel: view('dense/kernel'),
    denseBias: view('dense/bias'),
  };
}
