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
  const model = tf.sequential();
  model.add(
    tf.layers.embedding({
      name: 'embedding',
      inputDim: shape.vocabSize,
      outputDim: shape.embeddingSize,
      // Variable-length sequences: [batch, time].
      batchInputShape: [null, null],
      embeddingsInitializer: 'zeros',
    }),
  );
  for (let layer = 0; layer < shape.layers; layer++) {
    model.add(
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
  model.add(tf.layers.dense({ name: 'dense', units: shape.vocabSize, kernelInitializer: 'zeros' }));
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
