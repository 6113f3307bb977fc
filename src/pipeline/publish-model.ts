import { modelFileNames } from '../model/model-files.js';
import { putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { LatestPointer } from './contracts.js';
import { keys } from './keys.js';

/** The staging area holds no finished model to publish. */
export class NothingToPublishError extends Error {
  override name = 'NothingToPublishError';
}

/**
 * Publishes the model trained under `stagingPrefix` as `models/<runId>/`: every file copied, `manifest.json` last,
 * then `models/latest.json` in one PUT, then the staging area removed. A crash at any point before the pointer leaves
 * the previous model served; running it again after such a crash finishes the job.
 *
 * @example
 * await publishModel(store, 'run-3f2a…', 'checkpoints/run-3f2a…/');
 */
export async function publishModel(store: Store, runId: string, stagingPrefix: string): Promise<LatestPointer> {
  const checkpointFolder = `${stagingPrefix}checkpoint/`;
  const staged = (await store.list(stagingPrefix)).filter((object) => !object.key.startsWith(checkpointFolder));
  const manifestKey = stagingPrefix + modelFileNames.manifest;
  if (!staged.some((object) => object.key === manifestKey)) {
    throw new NothingToPublishError(`no ${modelFileNames.manifest} under ${stagingPrefix}: the run has not finished training`);
  }
  const target = keys.modelPrefix(runId);
  const manifestLast = [...staged.filter((object) => object.key !== manifestKey), ...staged.filter((object) => object.key === manifestKey)];
  for (const object of manifestLast) {
    const bytes = await store.get(object.key);
    if (!bytes) throw new NothingToPublishError(`${object.key} vanished while publishing ${runId}`);
    await store.put(target + object.key.slice(stagingPrefix.length), bytes);
  }
  const pointer = await pointLatestAt(store, runId);
  await removeStaging(store, stagingPrefix);
  return pointer;
}

/** Deletes what is left under a run's staging prefix once its model is published. */
export async function removeStaging(store: Store, stagingPrefix: string): Promise<void> {
  for (const object of await store.list(stagingPrefix)) await store.delete(object.key);
}

/** Writes `models/latest.json` naming `runId`: the one write that makes a published model the served one. */
export async function pointLatestAt(store: Store, runId: string): Promise<LatestPointer> {
  const pointer: LatestPointer = { schemaVersion: 1, runId, publishedAt: new Date().toISOString() };
  await putJson(store, keys.latest, pointer);
  return pointer;
}
