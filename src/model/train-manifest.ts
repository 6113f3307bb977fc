import type { Dataset } from '../dataset/dataset-store.js';
import { deleteCheckpoints } from './checkpoint.js';
import { defaultDensityCalibration, measureDensityResponse } from './controls/density-response.js';
import { manifestSchemaVersion, type ModelManifest, type ModelMetrics } from './manifest.js';
import type { SamplingDefaults } from './sampling-defaults.js';
import { saveModel } from './model-files.js';
import { elapsedSeconds, runCheckpointPrefix, type TrainSession } from './train-session.js';
import { saveTrainingFiles, trainingFilesRecord } from './training-files.js';

/**
 * A model that reads the keys down plays thin at rubato's top-p 0.95: the nucleus cut drops the second and third keys
 * of a chord. Measured on a default-size keyboard model (`rubato eval --music`): mean polyphony 2.9 at top-p
 * 0.95, 3.8 at 0.98 and 5.2 at 0.99, where held-out playing has 5.0; see models/default/MODEL_CARD.md.
 */
export const keyboardModelSampling: SamplingDefaults = { topP: 0.99 };

/** What the finished model records besides the session: where its data came from and how its weights are stored. */
export interface TrainedModelFacts {
  dataset: Dataset;
  baselines: ModelMetrics['baselines'];
  weightsDtype: ModelManifest['weightsDtype'];
}

/**
 * Writes the finished run under its prefix: the best parameters as model files with their manifest (density response
 * measured when the model has controls), `progress.jsonl` and the list of training files; then deletes the
 * checkpoints. Needs a validation at the run's last step. Resolves the manifest written.
 *
 * @example
 * const manifest = await saveTrainedModel(session, { dataset, baselines, weightsDtype: 'float32' });
 */
export async function saveTrainedModel(session: TrainSession, facts: TrainedModelFacts): Promise<ModelManifest> {
  const { store, prefix, data } = session.setup;
  const manifest = withDensityResponse(session, buildManifest(session, facts));
  await session.progress.flush();
  await saveTrainingFiles(store, prefix, trainingFilesRecord(facts.dataset, data.train));
  await saveModel(store, prefix, { manifest, parameters: session.bestParameters });
  await deleteCheckpoints(store, runCheckpointPrefix(prefix));
  return manifest;
}

function buildManifest(session: TrainSession, { dataset, baselines, weightsDtype }: TrainedModelFacts): ModelManifest {
  const { setup, state } = session;
  const { data, shape, engine } = setup;
  const best = state.best!;
  return {
    schemaVersion: manifestSchemaVersion,
    tokenizer: {
      name: data.tokenizer.name,
      vocabSize: data.tokenizer.vocabSize,
      ...(dataset.vocabulary !== undefined ? { vocabulary: dataset.vocabulary } : {}),
    },
    shape,
    ...(data.controls ? { controls: data.controls } : {}),
    outputs: 'logits',
    weightsDtype,
    hyperparameters: data.hyperparameters,
    dataDigest: dataset.digest,
    ...(data.controls?.keyboard ? { sampling: keyboardModelSampling } : {}),
    metrics: {
      validationNll: best.nll,
      validationAccuracy: best.accuracy,
      perplexity: Math.exp(best.nll),
      trainLoss: state.lastTrainLoss,
      baselines,
      validationHeldOut: data.validationHeldOut,
    },
    engine: engine.name,
    trainingSeconds: elapsedSeconds(session),
    steps: state.step,
    events: state.events,
    trainingEvents: state.trainingEvents,
    createdAt: new Date().toISOString(),
  };
}

/**
 * Sampled freely, a model drifts from the density it is asked for: measure what each bin writes, so requests can be
 * fed the bin that gives the density asked.
 */
function withDensityResponse(session: TrainSession, manifest: ModelManifest): ModelManifest {
  if (!manifest.controls) return manifest;
  const { shape, data, log } = session.setup;
  // Measured as requests will sample it: with the model's own top-p when it has one.
  const calibration = { ...defaultDensityCalibration, ...(manifest.sampling?.topP !== undefined ? { topP: manifest.sampling.topP } : {}) };
  const densityResponse = measureDensityResponse({ manifest, shape, parameters: session.bestParameters }, data.tokenizer, calibration);
  log(`density calibration (notes/s per bin): ${densityResponse.join(' ')}`);
  return { ...manifest, controls: { ...manifest.controls, densityResponse } };
}
