/**
 * Shape of the network: Embedding(vocab→embedding) ⊕ controls → LSTM(units) × layers → Dense(vocab), sigmoid gates.
 * The control inputs (see `src/model/controls`) are concatenated to the embedding; models without them omit the field.
 */
export interface ModelShape {
  vocabSize: number;
  embeddingSize: number;
  units: number;
  layers: number;
  controlSize?: number;
}

/** Width of the first LSTM layer's input: the token embedding followed by the control inputs. */
export function firstLayerInputSize(shape: ModelShape): number {
  return shape.embeddingSize + (shape.controlSize ?? 0);
}

export const defaultModelShape: ModelShape = {
  vocabSize: 388,
  embeddingSize: 128,
  units: 256,
  layers: 2,
};

/** Name and shape of every trainable tensor, in the order tfjs layers lists its weights. */
export interface ParameterSpec {
  name: string;
  shape: number[];
  offset: number; // into the flat parameter vector
  size: number;
}

/**
 * tfjs-layers order and layouts: embedding [V,E]; per LSTM layer kernel [in,4U], recurrent_kernel [U,4U],
 * bias [4U] with gate order i, f, c, o; dense kernel [U,V], bias [V].
 */
export function parameterLayout(shape: ModelShape): ParameterSpec[] {
  const specs: ParameterSpec[] = [];
  let offset = 0;
  const add = (name: string, dims: number[]) => {
    const size = dims.reduce((a, b) => a * b, 1);
    specs.push({ name, shape: dims, offset, size });
    offset += size;
  };
  add('embedding/embeddings', [shape.vocabSize, shape.embeddingSize]);
  for (let layer = 0; layer < shape.layers; layer++) {
    const inputSize = layer === 0 ? firstLayerInputSize(shape) : shape.units;
    add(`lstm_${layer + 1}/kernel`, [inputSize, 4 * shape.units]);
    add(`lstm_${layer + 1}/recurrent_kernel`, [shape.units, 4 * shape.units]);
    add(`lstm_${layer + 1}/bias`, [4 * shape.units]);
  }
  add('dense/kernel', [shape.units, shape.vocabSize]);
  add('dense/bias', [shape.vocabSize]);
  return specs;
}

export function parameterCount(shape: ModelShape): number {
  const specs = parameterLayout(shape);
  const last = specs[specs.length - 1]!;
  return last.offset + last.size;
}
