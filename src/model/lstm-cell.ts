import { parameterLayout, type ModelShape } from './config.js';

/**
 * The network run one event at a time in plain JS, for sampling (no tfjs, no native addon). Weights are re-laid out
 * once so every product is a contiguous dot product: per layer one [4U × (in + U)] matrix over the concatenated
 * input and hidden state; for the first layer the embedding is folded into a per-token table of kernel products.
 */
export class LstmCell {
  readonly logits: Float32Array;
  private readonly units: number;
  private readonly layers: number;
  private readonly vocabSize: number;
  /** [V × 4U]: embedding row · first-layer kernel + bias, per token. */
  private readonly firstLayerInput: Float32Array;
  /** First layer [4U × U]; later layers [4U × 2U] over [h_below; h]. */
  private readonly gateWeights: Float32Array[];
  private readonly gateBiases: Float32Array[];
  /** [V × U] transposed dense kernel. */
  private readonly denseWeights: Float32Array;
  private readonly denseBias: Float32Array;
  private readonly h: Float32Array[];
  private readonly c: Float32Array[];
  private readonly concatenated: Float32Array[];
  private readonly gates: Float32Array;

  constructor(shape: ModelShape, parameters: Float32Array) {
    const { units, layers, vocabSize, embeddingSize } = shape;
    this.units = units;
    this.layers = layers;
    this.vocabSize = vocabSize;
    const view = (name: string) => {
      const spec = parameterLayout(shape).find((candidate) => candidate.name === name)!;
      return parameters.subarray(spec.offset, spec.offset + spec.size);
    };
    const gateCount = 4 * units;
    const embeddings = view('embedding/embeddings');
    const firstKernel = view('lstm_1/kernel');
    const firstBias = view('lstm_1/bias');
    this.firstLayerInput = new Float32Array(vocabSize * gateCount);
    for (let token = 0; token < vocabSize; token++) {
      const row = this.firstLayerInput.subarray(token * gateCount, (token + 1) * gateCount);
      row.set(firstBias);
      for (let e = 0; e < embeddingSize; e++) {
        const x = embeddings[token * embeddingSize + e]!;
        const kernelRow = e * gateCount;
        for (let g = 0; g < gateCount; g++) row[g]! += x * firstKernel[kernelRow + g]!;
      }
    }
    this.gateWeights = [];
    this.gateBiases = [];
    for (let layer = 0; layer < layers; layer++) {
      const name = `lstm_${layer + 1}`;
      const recurrent = view(`${name}/recurrent_kernel`);
      const inputs = layer === 0 ? [recurrent] : [view(`${name}/kernel`), recurrent];
      const width = inputs.length * units;
      const weights = new Float32Array(gateCount * width);
      inputs.forEach((matrix, part) => {
        for (let k = 0; k < units; k++) {
          for (let g = 0; g < gateCount; g++) weights[g * width + part * units + k] = matrix[k * gateCount + g]!;
        }
      });
      this.gateWeights.push(weights);
      this.gateBiases.push(layer === 0 ? new Float32Array(gateCount) : Float32Array.from(view(`${name}/bias`)));
    }
    const denseKernel = view('dense/kernel');
    this.denseWeights = new Float32Array(vocabSize * units);
    for (let k = 0; k < units; k++) {
      for (let v = 0; v < vocabSize; v++) this.denseWeights[v * units + k] = denseKernel[k * vocabSize + v]!;
    }
    this.denseBias = Float32Array.from(view('dense/bias'));
    this.h = Array.from({ length: layers }, () => new Float32Array(units));
    this.c = Array.from({ length: layers }, () => new Float32Array(units));
    this.concatenated = Array.from({ length: layers }, (_, layer) => new Float32Array((layer === 0 ? 1 : 2) * units));
    this.gates = new Float32Array(gateCount);
    this.logits = new Float32Array(vocabSize);
    this.reset();
  }

  /** Zero state; `logits` become the no-context distribution (the dense bias). */
  reset(): void {
    for (let layer = 0; layer < this.layers; layer++) {
      this.h[layer]!.fill(0);
      this.c[layer]!.fill(0);
    }
    this.logits.set(this.denseBias);
  }

  /** Feeds one token; afterwards `logits` predict the next one. */
  step(token: number): void {
    if (!(token >= 0 && token < this.vocabSize)) throw new RangeError(`token id ${token} is outside the vocabulary`);
    const units = this.units;
    const gateCount = 4 * units;
    const gates = this.gates;
    for (let layer = 0; layer < this.layers; layer++) {
      const input = this.concatenated[layer]!;
      const h = this.h[layer]!;
      const c = this.c[layer]!;
      if (layer === 0) {
        input.set(h);
        gates.set(this.firstLayerInput.subarray(token * gateCount, (token + 1) * gateCount));
      } else {
        input.set(this.h[layer - 1]!, 0);
        input.set(h, units);
        gates.set(this.gateBiases[layer]!);
      }
      matVecAccumulate(this.gateWeights[layer]!, input, gates, gateCount);
      for (let k = 0; k < units; k++) {
        const inputGate = sigmoid(gates[k]!);
        const forgetGate = sigmoid(gates[units + k]!);
        const candidate = Math.tanh(gates[2 * units + k]!);
        const outputGate = sigmoid(gates[3 * units + k]!);
        const cell = forgetGate * c[k]! + inputGate * candidate;
        c[k] = cell;
        h[k] = outputGate * Math.tanh(cell);
      }
    }
    this.logits.set(this.denseBias);
    matVecAccumulate(this.denseWeights, this.h[this.layers - 1]!, this.logits, this.vocabSize);
  }
}

/** out[r] += Σ_k matrix[r × width + k] · vector[k], with four accumulators so V8 keeps the loop pipelined. */
function matVecAccumulate(matrix: Float32Array, vector: Float32Array, out: Float32Array, rows: number): void {
  const width = vector.length;
  const tail = width & ~3;
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let k = 0;
    for (; k < tail; k += 4) {
      a0 += matrix[base + k]! * vector[k]!;
      a1 += matrix[base + k + 1]! * vector[k + 1]!;
      a2 += matrix[base + k + 2]! * vector[k + 2]!;
      a3 += matrix[base + k + 3]! * vector[k + 3]!;
    }
    for (; k < width; k++) a0 += matrix[base + k]! * vector[k]!;
    out[r]! += a0 + a1 + a2 + a3;
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
