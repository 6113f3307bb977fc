import * as tf from '@tensorflow/tfjs';
import { firstLayerInputSize, parameterLayout, type ModelShape, type ParameterSpec } from '../config.js';
import { activeDropout, dropoutFactors, type Dropout } from './dropout.js';
import type { Batch, BatchResult, EngineName, GradientEngine, RecurrentState } from './engine.js';

export interface TfjsEngineOptions {
  /** tfjs backend to run on: 'cpu' (pure JS, always there) or 'tensorflow' (tfjs-node, when it loads). */
  backend?: string;
}

/**
 * The reference engine: the stock tfjs layers (Embedding → LSTM with sigmoid gates × L → Dense), weights set from the
 * flat vector, gradients by `tf.variableGrads`. Slow but trusted; every other engine is tested against it.
 *
 * @example
 * const engine = await createTfjsEngine(defaultModelShape, { backend: 'cpu' });
 * const result = await engine.lossAndGradients(parameters, batch, gradients);
 */
export async function createTfjsEngine(shape: ModelShape, options: TfjsEngineOptions = {}): Promise<GradientEngine> {
  const backend = options.backend ?? 'cpu';
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' could not be initialised`);
  await tf.ready();
  return new TfjsEngine(shape, backend === 'tensorflow' ? 'tfjs-node' : 'tfjs');
}

interface Forward {
  loss: tf.Scalar;
  correct: tf.Scalar;
  states: tf.Tensor2D[]; // h, c per layer
}

class TfjsEngine implements GradientEngine {
  private readonly embedding: tf.layers.Layer;
  private readonly lstms: tf.layers.Layer[];
  private readonly dense: tf.layers.Layer;
  /** The model's variables in `parameterLayout` order. */
  private readonly variables: tf.Variable[];
  private readonly specs: ParameterSpec[];

  constructor(
    readonly shape: ModelShape,
    readonly name: EngineName,
  ) {
    const { vocabSize, embeddingSize, units, layers } = shape;
    // Cheap initializers: the weights are always overwritten, and tfjs's orthogonal initializer takes seconds.
    this.embedding = tf.layers.embedding({ inputDim: vocabSize, outputDim: embeddingSize, embeddingsInitializer: 'zeros' });
    this.lstms = Array.from({ length: layers }, () =>
      tf.layers.lstm({
        units,
        returnSequences: true,
        returnState: true,
        recurrentActivation: 'sigmoid',
        kernelInitializer: 'zeros',
        recurrentInitializer: 'zeros',
      }),
    );
    this.dense = tf.layers.dense({ units: vocabSize, kernelInitializer: 'zeros' });
    tf.tidy(() => {
      this.forward(tf.zeros([1, 1], 'int32'), tf.zeros([1], 'int32'), tf.zeros([1, 1, shape.controlSize ?? 0]));
    });
    this.variables = [this.embedding, ...this.lstms, this.dense].flatMap((layer) =>
      layer.weights.map((weight) => weight.read() as tf.Variable),
    );
    this.specs = parameterLayout(shape);
    this.specs.forEach((spec, i) => {
      const actual = this.variables[i]!.shape;
      if (actual.join() !== spec.shape.join()) throw new Error(`tfjs weight ${spec.name} has shape [${actual}], expected [${spec.shape}]`);
    });
  }

  async lossAndGradients(parameters: Float32Array, batch: Batch, gradients: Float32Array): Promise<BatchResult> {
    this.assign(parameters);
    const { inputs, targets, controls, initial, dropout } = this.tensors(batch);
    let forward: Forward | undefined;
    const { value, grads } = tf.variableGrads(() => {
      forward = this.forward(inputs, targets, controls, initial, dropout);
      forward.correct = tf.keep(forward.correct);
      forward.states = forward.states.map((state) => tf.keep(state));
      return forward.loss;
    }, this.variables);
    const gradientTensors = this.variables.map((variable) => grads[variable.name]!);
    const values = await Promise.all(gradientTensors.map((tensor) => tensor.data<'float32'>()));
    this.specs.forEach((spec, i) => gradients.set(values[i]!, spec.offset));
    const result = await this.result(value, forward!, batch);
    tf.dispose([inputs, targets, controls, ...(initial ?? []), ...(dropout ?? []), value, ...gradientTensors, forward!.correct, ...forward!.states]);
    return result;
  }

  async loss(parameters: Float32Array, batch: Batch): Promise<BatchResult> {
    this.assign(parameters);
    const { inputs, targets, controls, initial, dropout } = this.tensors(batch);
    const forward = tf.tidy(() => {
      const output = this.forward(inputs, targets, controls, initial, dropout);
      return { loss: output.loss, correct: output.correct, states: output.states };
    });
    const result = await this.result(forward.loss, forward, batch);
    tf.dispose([inputs, targets, controls, ...(initial ?? []), ...(dropout ?? []), forward.loss, forward.correct, ...forward.states]);
    return result;
  }

  async dispose(): Promise<void> {
    for (const layer of [this.embedding, ...this.lstms, this.dense]) layer.dispose();
  }

  /**
   * `controls` [B, T, controlSize] is concatenated to the embedding, as in the saved layers model; `dropout` holds each
   * connection's factors [B, T, width] (input of each LSTM layer, then of the dense layer).
   */
  private forward(inputs: tf.Tensor, targets: tf.Tensor, controls: tf.Tensor, initial?: tf.Tensor2D[], dropout?: tf.Tensor3D[]): Forward {
    const drop = (sequence: tf.Tensor, slot: number) => (dropout ? tf.mul(sequence, dropout[slot]!) : sequence);
    let sequence = this.embedding.apply(inputs) as tf.Tensor;
    if ((this.shape.controlSize ?? 0) > 0) sequence = tf.concat([sequence, controls], 2);
    const states: tf.Tensor2D[] = [];
    this.lstms.forEach((lstm, layer) => {
      const kwargs = initial ? { initialState: [initial[2 * layer]!, initial[2 * layer + 1]!] } : {};
      const [output, h, c] = lstm.apply(drop(sequence, layer), kwargs) as tf.Tensor[];
      sequence = output!;
      states.push(h as tf.Tensor2D, c as tf.Tensor2D);
    });
    const logits = (this.dense.apply(drop(sequence, this.lstms.length)) as tf.Tensor).reshape([-1, this.shape.vocabSize]);
    const logProbabilities = tf.logSoftmax(logits);
    const oneHot = tf.oneHot(targets, this.shape.vocabSize);
    const loss = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbabilities), 1)));
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), targets), 'float32'));
    return { loss: loss as tf.Scalar, correct: correct as tf.Scalar, states };
  }

  private assign(parameters: Float32Array): void {
    this.specs.forEach((spec, i) => {
      tf.tidy(() => this.variables[i]!.assign(tf.tensor(parameters.subarray(spec.offset, spec.offset + spec.size), spec.shape)));
    });
  }

  private tensors(batch: Batch): { inputs: tf.Tensor; targets: tf.Tensor; controls: tf.Tensor; initial?: tf.Tensor2D[]; dropout?: tf.Tensor3D[] } {
    const { batchSize, steps } = batch;
    const { units } = this.shape;
    const controlSize = this.shape.controlSize ?? 0;
    const controls = batch.controls ? tf.tensor3d(batch.controls, [batchSize, steps, controlSize]) : tf.zeros([batchSize, steps, controlSize]);
    const inputs = tf.tensor2d(batch.inputs, [batchSize, steps], 'int32');
    const targets = tf.tensor1d(batch.targets, 'int32');
    const state = batch.initialState;
    const initial = state?.h.flatMap((h, layer) => [
      tf.tensor2d(h, [batchSize, units]),
      tf.tensor2d(state.c[layer]!, [batchSize, units]),
    ]);
    const active = activeDropout(batch.dropout);
    const dropout = active ? this.dropoutTensors(active, batchSize, steps) : undefined;
    return { inputs, targets, controls, initial, ...(dropout ? { dropout } : {}) };
  }

  /** The fast engine's factors (time-major), turned batch-major. */
  private dropoutTensors(dropout: Dropout, batchSize: number, steps: number): tf.Tensor3D[] {
    const widths = [firstLayerInputSize(this.shape), ...Array.from({ length: this.shape.layers }, () => this.shape.units)];
    return widths.map((width, slot) => {
      const factors = new Float32Array(batchSize * steps * width);
      dropoutFactors(dropout, slot, batchSize, steps, width, factors);
      return tf.tidy(() => tf.tensor3d(factors, [steps, batchSize, width]).transpose<tf.Tensor3D>([1, 0, 2]));
    });
  }

  private async result(loss: tf.Scalar, forward: Forward, batch: Batch): Promise<BatchResult> {
    const states = await Promise.all(forward.states.map((state) => state.data<'float32'>()));
    const finalState: RecurrentState = {
      h: states.filter((_, i) => i % 2 === 0),
      c: states.filter((_, i) => i % 2 === 1),
    };
    return {
      loss: (await loss.data())[0]!,
      correct: (await forward.correct.data())[0]!,
      count: batch.batchSize * batch.steps,
      finalState,
    };
  }
}
