import { parameterLayout, type ModelShape } from './config.js';
import { KeyboardState, type KeyboardSpec } from './controls/keyboard-input.js';
import { createMatVecMemory, type MatVecMemory } from './matvec.js';

/** Cell options; tests turn SIMD off to check the plain JS path. */
export interface LstmCellOptions {
  /** Use the wasm SIMD matvec when the runtime has it (default true). */
  simd?: boolean;
  /** A model with a keyboard input: the cell tracks the keys from the tokens it is fed; `at` is the block's control index. */
  keyboard?: { spec: KeyboardSpec; at: number };
}

/**
 * The network run one event at a time, for sampling (no tfjs, no native addon). Weights are re-laid out once into
 * one float32 arena so every product is a contiguous matvec (wasm SIMD, see matvec.ts): per layer one
 * [4U × (in + U)] matrix over [h_below; h], which sit next to each other in the arena so nothing is copied; for the
 * first layer the embedding is folded into a per-token table of kernel products. Every vector is padded to a
 * multiple of 4 floats with zeros (and the matrices with zero columns/rows to match).
 */
export class LstmCell {
  /** Views into the arena: valid until the next step or reset. */
  readonly logits: Float32Array;
  /** Whether the wasm SIMD matvec runs. */
  readonly simd: boolean;
  private readonly units: number;
  private readonly layers: number;
  private readonly vocabSize: number;
  private readonly arena: MatVecMemory;
  /** [V × 4U]: embedding row · first-layer kernel + bias, per token. */
  private readonly firstLayerInput: Float32Array;
  /** [controlSize × 4U]: the control rows of the first-layer kernel. */
  private readonly controlKernel: Float32Array;
  /** [4U]: controls · control kernel, added to every first-layer input; undefined when no control is given. */
  private controlInput: Float32Array | undefined;
  private readonly keys: KeyboardState | undefined;
  /** Control index of the first keyboard input. */
  private readonly keyboardAt: number;
  /** Arena offsets of the layer matrices: layer 0 [4U × Û] over h₀, later ones [4U × 2Û] over [h_below; h]. */
  private readonly gateWeights: number[] = [];
  private readonly gateBiases: Float32Array[] = [];
  private readonly gatesAt: number;
  private readonly gates: Float32Array;
  /** Arena offset of h for layer 0; layer l's h follows at + l·Û. */
  private readonly hAt: number;
  private readonly h: Float32Array[];
  private readonly c: Float32Array[];
  /** [V̂ × Û] transposed dense kernel. */
  private readonly denseAt: number;
  private readonly denseBias: Float32Array;
  private readonly logitsAt: number;
  private readonly paddedUnits: number;
  private readonly paddedVocab: number;

  constructor(shape: ModelShape, parameters: Float32Array, options: LstmCellOptions = {}) {
    const { units, layers, vocabSize, embeddingSize } = shape;
    this.units = units;
    this.layers = layers;
    this.vocabSize = vocabSize;
    const paddedUnits = (this.paddedUnits = pad4(units));
    const paddedVocab = (this.paddedVocab = pad4(vocabSize));
    const view = (name: string) => {
      const spec = parameterLayout(shape).find((candidate) => candidate.name === name)!;
      return parameters.subarray(spec.offset, spec.offset + spec.size);
    };
    const gateCount = 4 * units;
    const embeddings = view('embedding/embeddings');
    const firstKernel = view('lstm_1/kernel');
    const firstBias = view('lstm_1/bias');
    this.controlKernel = firstKernel.slice(embeddingSize * gateCount);
    this.keys = options.keyboard ? new KeyboardState(options.keyboard.spec) : undefined;
    this.keyboardAt = options.keyboard?.at ?? 0;
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

    let size = 0;
    const allocate = (floats: number) => {
      const at = size;
      size += pad4(floats);
      return at;
    };
    const widths = Array.from({ length: layers }, (_, layer) => (layer === 0 ? 1 : 2) * paddedUnits);
    for (let layer = 0; layer < layers; layer++) this.gateWeights.push(allocate(gateCount * widths[layer]!));
    this.denseAt = allocate(paddedVocab * paddedUnits);
    this.hAt = allocate(layers * paddedUnits);
    this.gatesAt = allocate(gateCount);
    this.logitsAt = allocate(paddedVocab);
    this.arena = createMatVecMemory(size, options);
    this.simd = this.arena.simd;
    const floats = this.arena.floats;

    for (let layer = 0; layer < layers; layer++) {
      const name = `lstm_${layer + 1}`;
      const recurrent = view(`${name}/recurrent_kernel`);
      const inputs = layer === 0 ? [recurrent] : [view(`${name}/kernel`), recurrent];
      const width = widths[layer]!;
      const at = this.gateWeights[layer]!;
      inputs.forEach((matrix, part) => {
        for (let k = 0; k < units; k++) {
          const column = at + part * paddedUnits + k;
          for (let g = 0; g < gateCount; g++) floats[column + g * width] = matrix[k * gateCount + g]!;
        }
      });
      this.gateBiases.push(layer === 0 ? new Float32Array(gateCount) : Float32Array.from(view(`${name}/bias`)));
    }
    const denseKernel = view('dense/kernel');
    for (let k = 0; k < units; k++) {
      for (let v = 0; v < vocabSize; v++) floats[this.denseAt + v * paddedUnits + k] = denseKernel[k * vocabSize + v]!;
    }
    this.denseBias = Float32Array.from(view('dense/bias'));
    this.h = Array.from({ length: layers }, (_, layer) => {
      const at = this.hAt + layer * paddedUnits;
      return floats.subarray(at, at + units);
    });
    this.c = Array.from({ length: layers }, () => new Float32Array(units));
    this.gates = floats.subarray(this.gatesAt, this.gatesAt + gateCount);
    this.logits = floats.subarray(this.logitsAt, this.logitsAt + vocabSize);
    this.reset();
  }

  /** Zero state; `logits` become the no-context distribution (the dense bias). */
  reset(): void {
    for (let layer = 0; layer < this.layers; layer++) {
      this.h[layer]!.fill(0);
      this.c[layer]!.fill(0);
    }
    this.logits.set(this.denseBias);
    this.keys?.reset();
  }

  /**
   * The control inputs held constant for the steps that follow (a model trained with controls); undefined or all
   * zeros means "not given". Costs nothing per step: the product with the kernel is taken once here. A keyboard block
   * is not read here: the cell feeds it itself at every step.
   */
  setControls(controls: Float32Array | undefined): void {
    const controlSize = this.controlKernel.length / (4 * this.units);
    if (controls && controls.length !== controlSize) throw new RangeError(`the model takes ${controlSize} control inputs, got ${controls.length}`);
    const keyboardRow = (row: number) => this.keys !== undefined && row >= this.keyboardAt;
    if (!controls || controls.every((value, row) => value === 0 || keyboardRow(row))) {
      this.controlInput = undefined;
      return;
    }
    const gateCount = 4 * this.units;
    const input = new Float32Array(gateCount);
    controls.forEach((value, row) => {
      if (value === 0 || keyboardRow(row)) return;
      for (let g = 0; g < gateCount; g++) input[g]! += value * this.controlKernel[row * gateCount + g]!;
    });
    this.controlInput = input;
  }

  /** Feeds one token; afterwards `logits` predict the next one. */
  step(token: number): void {
    if (!(token >= 0 && token < this.vocabSize)) throw new RangeError(`token id ${token} is outside the vocabulary`);
    const units = this.units;
    const gateCount = 4 * units;
    const gates = this.gates;
    for (let layer = 0; layer < this.layers; layer++) {
      const h = this.h[layer]!;
      const c = this.c[layer]!;
      if (layer === 0) {
        gates.set(this.firstLayerInput.subarray(token * gateCount, (token + 1) * gateCount));
        const controlInput = this.controlInput;
        if (controlInput) for (let g = 0; g < gateCount; g++) gates[g]! += controlInput[g]!;
        if (this.keys) this.addKeyboard(token, gates);
      } else gates.set(this.gateBiases[layer]!);
      // Layer 0 reads its own h; later layers read [h_below; h], adjacent in the arena.
      const vectorAt = this.hAt + (layer === 0 ? 0 : (layer - 1) * this.paddedUnits);
      const width = (layer === 0 ? 1 : 2) * this.paddedUnits;
      this.arena.matVec(this.gateWeights[layer]!, vectorAt, this.gatesAt, gateCount, width);
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
    const lastH = this.hAt + (this.layers - 1) * this.paddedUnits;
    this.arena.matVec(this.denseAt, lastH, this.logitsAt, this.paddedVocab, this.paddedUnits);
  }

  /** Takes the token into the keys and adds each held key's input × its kernel row (a few keys, so sparse). */
  private addKeyboard(token: number, gates: Float32Array): void {
    const keys = this.keys!;
    keys.observe(token);
    const gateCount = 4 * this.units;
    keys.forEachHeld((key, input) => {
      const row = (this.keyboardAt + key) * gateCount;
      for (let g = 0; g < gateCount; g++) gates[g]! += input * this.controlKernel[row + g]!;
    });
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
