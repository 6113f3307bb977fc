import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineLog } from '../log/log.js';
import { defaultModelDir } from '../model/committed-models.js';
import { modelFileNames } from '../model/model-files.js';
import { keys } from '../pipeline/keys.js';
import { readLatest } from '../pipeline/latest-pointer.js';
import { publishModel } from '../pipeline/publish-model.js';
import type { Store } from '../store/store.js';

/** Run id the committed model is published under. */
export const defaultRunId = 'default';

/**
 * On a store without a (readable) `models/latest.json`, stages the committed model and publishes it as
 * `models/default/` through the pipeline's {@link publishModel}, promoted only while no other model is served, so a
 * fresh clone generates at once. Resolves the run id it promoted, or undefined when the store already had a model or
 * the repository carries none yet.
 *
 * @example
 * await preloadDefaultModel(new FsStore('.rubato/bucket'));
 */
export async function preloadDefaultModel(store: Store, modelDir: string = defaultModelDir, log?: PipelineLog): Promise<string | undefined> {
  if ((await readLatest(store, log)).pointer) return undefined;
  let names: string[];
  try {
    names = (await readdir(modelDir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch {
    return undefined;
  }
  if (!names.includes(modelFileNames.manifest) || !names.includes(modelFileNames.topology)) return undefined;
  const stagingPrefix = keys.checkpointPrefix(defaultRunId);
  for (const name of names) await store.put(stagingPrefix + name, new Uint8Array(await readFile(join(modelDir, name))));
  const { promotion } = await publishModel(store, { runId: defaultRunId, stagingPrefix, policy: { kind: 'if-none' }, ...(log ? { log } : {}) });
  return promotion.promoted ? defaultRunId : undefined;
}
