import { silentLog, type PipelineLog } from '../log/log.js';
import { saveCheckpoint, stepZeroState } from '../model/checkpoint.js';
import type { ModelShape } from '../model/config.js';
import { loadModel } from '../model/model-files.js';
import type { Store } from '../store/store.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import { keys } from './keys.js';
import { listModels, type ModelSummary } from './list-models.js';

/** What a new run must match to continue from a published model's weights. */
export interface StartFromWanted {
  tokenizer: TokenizerName;
  shape: ModelShape;
  /** Whether the run trains control inputs: a parent must have them too (the run then keeps its control vocabulary). */
  controls: boolean;
}

/**
 * The published model a new run fine-tunes: the one `latest` names when it has the run's vocabulary and shape, else
 * the newest published model that has them; undefined when none does (the run starts from random weights).
 *
 * @example
 * const parent = await pickStartFrom(store, { tokenizer: 'performance', shape });
 */
export async function pickStartFrom(store: Store, wanted: StartFromWanted, log: PipelineLog = silentLog): Promise<string | undefined> {
  const { models, latest } = await listModels(store, log);
  const fits = (model: ModelSummary) =>
    model.tokenizer === wanted.tokenizer && sameShape(model.shape, wanted.shape) && (model.controls !== null) === wanted.controls;
  const parent = models.find((model) => model.runId === latest && fits(model)) ?? models.find(fits);
  if (!parent) log.info('no published model has this vocabulary and shape; training from scratch', { shape: wanted.shape });
  return parent?.runId;
}

/**
 * Stages `parentRunId`'s weights as the step-0 checkpoint of `runId`, so the trainer's resume path starts from them
 * with fresh optimizer moments and a fresh schedule.
 */
export async function seedFromModel(store: Store, runId: string, parentRunId: string): Promise<void> {
  const parent = await loadModel(store, keys.modelPrefix(parentRunId));
  const size = parent.parameters.length;
  await saveCheckpoint(store, `${keys.checkpointPrefix(runId)}checkpoint/`, {
    state: stepZeroState([{ step: 0, at: new Date().toISOString(), kind: 'start', detail: `fine-tuned from ${parentRunId}` }]),
    tensors: { parameters: parent.parameters, adamM: new Float32Array(size), adamV: new Float32Array(size) },
  });
}

function sameShape(a: ModelShape, b: ModelShape): boolean {
  return a.vocabSize === b.vocabSize && a.embeddingSize === b.embeddingSize && a.units === b.units && a.layers === b.layers;
}
