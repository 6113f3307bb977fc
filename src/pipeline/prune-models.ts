import { silentLog, type PipelineLog } from '../log/log.js';
import { modelFileNames } from '../model/model-files.js';
import type { Store } from '../store/store.js';
import { keys } from './keys.js';
import { listModels } from './list-models.js';
import { writeModelsIndex } from './models-index.js';

/** Unpromoted models kept by default: every run publishes a 4–13 MB model, and most runs are not promoted. */
export const defaultModelsKept = 10;

/**
 * The retention rule for published models, run after each publish: the latest, every model ever promoted, the shipped
 * ones and the `keep` newest unpromoted ones stay; the other unpromoted models are deleted; then `models/index.json` is rewritten.
 * S3 lifecycle rules expire by age only, not "all but the newest N", so this is code. Returns the run ids deleted.
 *
 * @example
 * const deleted = await pruneModels(store, { keep: 10 });
 */
export async function pruneModels(store: Store, options: { keep: number; log?: PipelineLog }): Promise<string[]> {
  const log = options.log ?? silentLog;
  const { models } = await listModels(store, log); // newest first
  // A shipped model stays too: a deploy publishes it again only when it changes.
  const unpromoted = models.filter((model) => !model.latest && model.promotion?.promoted !== true && model.shippedWith === null);
  const doomed = unpromoted.slice(options.keep).map((model) => model.runId);
  for (const runId of doomed) {
    // Manifest first: a half-deleted model is no longer listed or loadable, and the next prune finishes it.
    const prefix = keys.modelPrefix(runId);
    const isManifest = (key: string) => key === prefix + modelFileNames.manifest;
    const objects = await store.list(prefix);
    for (const object of [...objects.filter((object) => isManifest(object.key)), ...objects.filter((object) => !isManifest(object.key))]) {
      await store.delete(object.key);
    }
    log.info('old model deleted', { runId, keptUnpromoted: options.keep });
  }
  await writeModelsIndex(store, models.filter((model) => !doomed.includes(model.runId)));
  return doomed;
}
