import { silentLog, type PipelineLog } from '../log/log.js';
import { modelFileNames } from '../model/model-files.js';
import type { Store } from '../store/store.js';
import { keys } from './keys.js';
import { swapLatest } from './latest-pointer.js';
import { badRequest, modelNotFound } from './request-errors.js';
import { runIdPattern } from './run-id.js';

/**
 * Makes a published model the one `model=latest` serves, whatever its score: a user's explicit choice (the way back
 * to an earlier model, or to one trained on another vocabulary). Throws a {@link RequestError} 400 for a malformed run
 * id and 404 for a run that is not published. `changed` is false when it was latest already.
 *
 * @example
 * await promoteModel(store, 'run-3f2a01b2c3d4-9c1d0e1f');
 */
export async function promoteModel(store: Store, runId: string, log: PipelineLog = silentLog): Promise<{ runId: string; changed: boolean }> {
  if (!runIdPattern.test(runId)) {
    throw badRequest('invalid-parameter', `runId: "${runId.slice(0, 80)}" is not a run id (letters, digits, ".", "_" and "-", up to 128); GET /models lists them`);
  }
  if (!(await store.head(keys.modelPrefix(runId) + modelFileNames.manifest))) {
    throw modelNotFound(`no published model "${runId}"; GET /models lists the published ones`);
  }
  const { written } = await swapLatest(store, async (current) => ({ pointTo: current?.runId === runId ? undefined : runId }), log);
  log.info('model promoted by request', { runId, changed: written !== undefined });
  return { runId, changed: written !== undefined };
}
