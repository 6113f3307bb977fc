import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelShape } from '../src/model/config.js';

/**
 * The baseline: stock tfjs layers (LSTM with sigmoid gates) trained with tfjs Adam on the WebAssembly backend. The
 * embedding is a bias-free dense layer over one-hot inputs (same arithmetic) because tfjs-wasm lacks the
 * UnsortedSegmentSum kernel the Embedding gradient needs.
 */
export async function measureStockLstm(shape: ModelShape, batchSize: number, steps: number, timedSteps: number) {
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs WebAssembly backend did not initialise');
  const { vocabSize, embeddingSize, units, layers } = shape;
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [steps, vocabSize], units: embeddingSize, useBias: false }));
  // glorot instead of the default orthogonal recurrent initializer, which alone takes seconds in tfjs
  for (let layer = 0; layer < layers; layer++)
    model.add(tf.layers.lstm({ units, returnSequences: true, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' }));
  model.add(tf.layers.dense({ units: vocabSize }));
  const optimizer = tf.train.adam(1e-3);
  const random = () => Int32Array.from({ length: batchSize * steps }, () => Math.floor(Math.random() * vocabSize));
  const inputs = tf.oneHot(tf.tensor2d(random(), [batchSize, steps], 'int32'), vocabSize);
  const targets = tf.oneHot(tf.tensor2d(random(), [batchSize, steps], 'int32'), vocabSize);
  const step = async () => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(targets, model.apply(inputs) as tf.Tensor) as tf.Scalar, true)!;
    await loss.data();
    loss.dispose();
  };
  await step(); // warm-up: kernels compile, weights initialise
  const start = performance.now();
  for (let i = 0; i < timedSteps; i++) await step();
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([inputs, targets]);
  model.dispose();
  optimizer.dispose();
  return { eventsPerSecond: (timedSteps * batchSize * steps) / seconds, secondsPerStep: seconds / timedSteps };
}
