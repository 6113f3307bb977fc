import { silentLog, type PipelineLog } from '../log/log.js';
import { evaluateModel } from '../model/evaluate.js';
import type { ModelManifest } from '../model/manifest.js';
import { loadModel } from '../model/model-files.js';
import type { Store } from '../store/store.js';
import type { LatestPointer } from './contracts.js';
import { keys } from './keys.js';
import type { PromotionPolicy } from './publish-model.js';

/** Whether a published run became `latest`, and why, in words a user can read. */
export interface Promotion {
  promoted: boolean;
  reason: string;
}

/** A run about to be published, with the validation events it was scored on. */
export interface PromotionCandidate {
  runId: string;
  manifest: ModelManifest;
  /** The run's own validation sequences: the current latest model is scored on exactly these. */
  validation: readonly Uint16Array[];
}

/**
 * Decides whether `candidate` replaces the model `current` names: only when its validation NLL beats the current
 * model's on the same validation events, scored now with the same windows. No current model (or an unreadable one)
 * → promoted; a current model of another vocabulary cannot be compared → not promoted (promote it by request).
 *
 * @example
 * const { promoted, reason } = await judgePromotion(store, { runId, manifest, validation }, pointer);
 */
export async function judgePromotion(
  store: Store,
  candidate: PromotionCandidate,
  current: LatestPointer | undefined,
  log: PipelineLog = silentLog,
): Promise<Promotion> {
  if (!current) return { promoted: true, reason: 'promoted: no model was published before' };
  if (current.runId === candidate.runId) return { promoted: true, reason: 'promoted: it is already the latest model' };
  let latest;
  try {
    latest = await loadModel(store, keys.modelPrefix(current.runId));
  } catch (error) {
    log.warn('the latest model cannot be read; the new run replaces it', { latest: current.runId, error: String(error) });
    return { promoted: true, reason: `promoted: the latest model ${current.runId} could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
  const ours = candidate.manifest.tokenizer;
  const theirs = latest.manifest.tokenizer;
  if (ours.name !== theirs.name || ours.vocabSize !== theirs.vocabSize) {
    return {
      promoted: false,
      reason: `not promoted: the latest model ${current.runId} uses the ${theirs.name} vocabulary (${theirs.vocabSize} ids), so its NLL cannot be compared; promote this run by request to serve it`,
    };
  }
  const { steps, batchSize } = candidate.manifest.hyperparameters;
  const scores = await evaluateModel(latest, candidate.validation, { steps, batchSize });
  const ourNll = candidate.manifest.metrics.validationNll;
  const comparison = `validation NLL ${ourNll.toFixed(3)} ${ourNll < scores.nllNatsPerEvent ? 'beats' : 'is not better than'} the latest model's (${current.runId}) ${scores.nllNatsPerEvent.toFixed(3)} on the same ${scores.events.toLocaleString('en-US')} validation events`;
  return ourNll < scores.nllNatsPerEvent ? { promoted: true, reason: `promoted: ${comparison}` } : { promoted: false, reason: `not promoted: ${comparison}` };
}

/**
 * The trained run's policy: {@link judgePromotion} on its own validation events; a promoted run is pointed to unless
 * the pointer names it already (a publish finished after a crash).
 *
 * @example
 * await publishModel(store, { runId, stagingPrefix, policy: promoteIfBetter(store, validation, log) });
 */
export function promoteIfBetter(store: Store, validation: readonly Uint16Array[], log: PipelineLog = silentLog): PromotionPolicy {
  return async ({ runId, manifest }, current) => {
    const promotion = await judgePromotion(store, { runId, manifest, validation }, current, log);
    return { promotion, pointTo: promotion.promoted && current?.runId !== runId ? runId : undefined };
  };
}
