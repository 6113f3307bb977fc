import * as tf from '@tensorflow/tfjs';
import type { ModelShape } from './config.js';

/**
 * The tfjs layers `modelTopology` of our network, produced by tfjs itself so `tf.loadLayersModel` reads it back.
 * Layer names match `parameterLayout`; initializers are zeros because the weights always come from the shard, and
 * tfjs would otherwise re-run its slow orthogonal initializer on every load.
 */
export async function layersTopology(shape: ModelShape): Promise<object> {
  // Building the topology touches tfjs's cpu backend, which otherwise prints its "install tfjs-node" banner mid-CLI.
  tf.enableProdMode();
  const model = (shape.controlSize ?? 0) > 0 ? controlledModel(shape) : plainModel(shape);
  let topology: object | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      topology = artifacts.modelTopology as object;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return topology!;
}

/** Tokens only: a sequential model. */
function plainModel(shape: ModelShape): tf.LayersModel {
  const model = tf.sequential();
  // Variable-length sequences: [batch, time].
  model.add(embeddingLayer(shape, { batchInputShape: [null, null] }));
  for (const layer of lstmLayers(shape)) model.add(layer);
  model.add(denseLayer(shape));
  return model;
}

/** Two inputs, tokens [batch, time] and controls [batch, time, controlSize], joined after the embedding. */
function controlledModel(shape: ModelShape): tf.LayersModel {
  const tokens = tf.input({ name: 'tokens', batchShape: [null, null], dtype: 'int32' });
  const controls = tf.input({ name: 'controls', batchShape: [null, null, shape.controlSize!] });
  const embedded = embeddingLayer(shape, {}).apply(tokens) as tf.SymbolicTensor;
  let sequence = tf.layers.concatenate({ name: 'with_controls', axis: -1 }).apply([embedded, controls]) as tf.SymbolicTensor;
  for (const layer of lstmLayers(shape)) sequence = layer.apply(sequence) as tf.SymbolicTensor;
  const logits = denseLayer(shape).apply(sequence) as tf.SymbolicTensor;
  return tf.model({ inputs: [tokens, controls], outputs: logits });
}

function embeddingLayer(shape: ModelShape, extra: { batchInputShape?: [null, null] }): tf.layers.Layer {
  return tf.layers.embedding({ name: 'embedding', inputDim: shape.vocabSize, outputDim: shape.embeddingSize, embeddingsInitializer: 'zeros', ...extra });
}

function lstmLayers(shape: ModelShape): tf.layers.Layer[] {
  return Array.from({ length: shape.layers }, (_, layer) =>
    tf.layers.lstm({
      name: `lstm_${layer + 1}`,
      units: shape.units,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      kernelInitializer: 'zeros',
      recurrentInitializer: 'zeros',
      biasInitializer: 'zeros',
    }),
  );
}

function denseLayer(shape: ModelShape): tf.layers.Layer {
  return tf.layers.dense({ name: 'dense', units: shape.vocabSize, kernelInitializer: 'zeros' });
}
