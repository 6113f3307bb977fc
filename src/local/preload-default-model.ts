import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LatestPointer } from '../pipeline/contracts.js';
import { keys } from '../pipeline/keys.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import { modelFileNames } from '../model/model-files.js';

/** The model committed with the repository. */
export const committedModelDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../models/default');

export const defaultRunId = 'default';

/**
 * On a store without `models/latest.json`, copies the committed model into `models/default/` and points latest.json
 * at it (last), so a fresh clone generates at once. Resolves the run id it published, or undefined when the store
 * already had a model or the repository carries none yet.
 *
 * @example
 * await preloadDefaultModel(new FsStore('.rubato/bucket'));
 */
export async function preloadDefaultModel(store: Store, modelDir: string = committedModelDir): Promise<string | undefined> {
  if (await getJson<LatestPointer>(store, keys.latest)) return undefined;
  let names: string[];
  try {
    names = (await readdir(modelDir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch {
    return undefined;
  }
  if (!names.includes(modelFileNames.manifest) || !names.includes(modelFileNames.topology)) return undefined;
  // The manifest goes last, as saveModel writes it: a model folder without its manifest is not a model.
  const ordered = [...names.filter((name) => name !== modelFileNames.manifest), modelFileNames.manifest];
  for (const name of ordered) {
    await store.put(keys.modelPrefix(defaultRunId) + name, new Uint8Array(await readFile(join(modelDir, name))));
  }
  const pointer: LatestPointer = { schemaVersion: 1, runId: defaultRunId, publishedAt: new Date().toISOString() };
  await putJson(store, keys.latest, pointer);
  return defaultRunId;
}
