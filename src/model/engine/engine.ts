import type { ModelShape } from '../config.js';
import type { Dropout } from './dropout.js';

/** Hidden and cell state of every LSTM layer for each sequence of a batch: `[layer][batch × units]`. */
export interface RecurrentState {
  h: Float32Array[];
  c: Float32Array[];
}

/** One batch of training windows: `inputs[b*steps + t]` predicts `targets[b*steps + t]`. */
export interface Batch {
  inputs: Int32Array;
  targets: Int32Array;
  batchSize: number;
  steps: number;
  /** Carried from the previous window of the same streams; zero state when absent. */
  initialState?: RecurrentState;
  /** Control inputs `[(b*steps + t) * controlSize …]` for a model with controls; absent means none given (zeros). */
  controls?: Float32Array;
  /** Dropout on the non-recurrent connections, in `loss` and `lossAndGradients` alike (training batches only). */
  dropout?: Dropout;
}

export interface BatchResult {
  /** Mean negative log-likelihood, nats per target. */
  loss: number;
  /** Targets whose arg-max prediction was right. */
  correct: number;
  count: number;
  finalState: RecurrentState;
}

export type EngineName = 'tfjs-node' | 'fast' | 'tfjs';

/**
 * Computes loss and gradients of the model for one batch. Parameters and gradients are flat vectors laid out by
 * `parameterLayout(shape)`; every engine must agree with the stock tfjs LSTM (sigmoid gates) to float round-off.
 */
export interface GradientEngine {
  readonly name: EngineName;
  readonly shape: ModelShape;
  /** Writes d(mean loss)/d(parameters) into `gradients` (overwritten, not accumulated). */
  lossAndGradients(parameters: Float32Array, batch: Batch, gradients: Float32Array): Promise<BatchResult>;
  /** Forward pass only, for validation. */
  loss(parameters: Float32Array, batch: Batch): Promise<BatchResult>;
  dispose(): Promise<void>;
}
