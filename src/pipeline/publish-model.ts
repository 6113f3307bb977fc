import { silentLog, type PipelineLog } from '../log/log.js';
import { modelManifestSchema, type ModelManifest } from '../model/manifest.js';
import { modelFileNames } from '../model/model-files.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { LatestPointer } from './contracts.js';
import { keys } from './keys.js';
import { swapLatest } from './latest-pointer.js';
import type { Promotion } from './promotion.js';

/** The staging area holds no finished model to publish. */
export class NothingToPublishError extends Error {
  override name = 'NothingToPublishError';
}

/** A policy's answer: the decision recorded in the manifest, and the run the pointer should name (undefined: leave it). */
export interface PromotionDecision {
  promotion: Promotion;
  pointTo: string | undefined;
}

/**
 * When a published model becomes `latest`, decided against the pointer as read (again after a lost swap): a trained
 * run when it beats the current latest (`promoteIfBetter`), a shipped model by `shippedPolicy`'s rule. Passed in, so
 * publishing a shipped model does not carry the evaluation engines.
 */
export type PromotionPolicy = (candidate: { runId: string; manifest: ModelManifest }, current: LatestPointer | undefined) => Promise<PromotionDecision> | PromotionDecision;

/** What the manifest gains when its run is published. */
export interface Lineage {
  startedFrom: string | null;
  data: { files: number; events: number };
}

export interface PublishRequest {
  runId: string;
  stagingPrefix: string;
  policy: PromotionPolicy;
  lineage?: Lineage;
  log?: PipelineLog;
}

export interface Published {
  runId: string;
  promotion: Promotion;
  /** The pointer written, when the run was promoted. */
  pointer?: LatestPointer;
}

/**
 * Publishes the model staged under `stagingPrefix` as `models/<runId>/`: every file copied, `manifest.json` last (with
 * its lineage and promotion decision), then — when {@link settlePromotion} promotes it — `models/latest.json` swapped
 * by compare-and-swap, then the staging area removed. A crash at any point before the pointer leaves the previous
 * model served; running it again after such a crash finishes the job.
 *
 * @example
 * const { promotion } = await publishModel(store, { runId, stagingPrefix: `checkpoints/${runId}/`, policy: promoteIfBetter(store, validation) });
 */
export async function publishModel(store: Store, request: PublishRequest): Promise<Published> {
  const { runId, stagingPrefix } = request;
  const checkpointFolder = `${stagingPrefix}checkpoint/`;
  const staged = (await store.list(stagingPrefix)).filter((object) => !object.key.startsWith(checkpointFolder));
  const manifestKey = stagingPrefix + modelFileNames.manifest;
  const read = await getJson(store, manifestKey, modelManifestSchema);
  if (read.status === 'absent') throw new NothingToPublishError(`no ${modelFileNames.manifest} under ${stagingPrefix}: the run has not finished training`);
  if (read.status === 'damaged') throw new NothingToPublishError(`${manifestKey} is damaged (${read.reason}): the run cannot be published`);
  const manifest = read.value;
  const target = keys.modelPrefix(runId);
  for (const object of staged.filter((candidate) => candidate.key !== manifestKey)) {
    const bytes = await store.get(object.key);
    if (!bytes) throw new NothingToPublishError(`${object.key} vanished while publishing ${runId}`);
    await store.put(target + object.key.slice(stagingPrefix.length), bytes);
  }
  const published = await settlePromotion(store, runId, { ...manifest, ...request.lineage }, request.policy, request.log);
  await removeStaging(store, stagingPrefix);
  return published;
}

/**
 * Writes the run's manifest with its promotion decision and, when promoted, swaps `models/latest.json` to it. A lost
 * swap (another run was promoted meanwhile) re-reads the pointer and decides again against the new latest.
 */
export async function settlePromotion(
  store: Store,
  runId: string,
  manifest: ModelManifest,
  policy: PromotionPolicy,
  log: PipelineLog = silentLog,
): Promise<Published> {
  const manifestKey = keys.modelPrefix(runId) + modelFileNames.manifest;
  const { decision, written } = await swapLatest(
    store,
    async (current) => {
      const { promotion, pointTo } = await policy({ runId, manifest }, current);
      await putJson(store, manifestKey, { ...manifest, promotion } satisfies ModelManifest);
      return { promotion, pointTo };
    },
    log,
  );
  log.info(decision.promotion.promoted ? 'model promoted to latest' : 'model published without promotion', { runId, reason: decision.promotion.reason });
  return { runId, promotion: decision.promotion, ...(written ? { pointer: written } : {}) };
}

/** Deletes what is left under a run's staging prefix once its model is published. */
export async function removeStaging(store: Store, stagingPrefix: string): Promise<void> {
  for (const object of await store.list(stagingPrefix)) await store.delete(object.key);
}
