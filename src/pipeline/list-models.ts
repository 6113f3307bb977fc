import { modelFileNames } from '../model/model-files.js';
import type { ModelManifest, ModelMetrics } from '../model/manifest.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import type { ModelShape } from '../model/config.js';
import { getJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { LatestPointer } from './contracts.js';
import { controlSummary, type ControlSummary } from './control-inputs.js';
import { keys } from './keys.js';

/** One published model, as `GET /models` shows it. */
export interface ModelSummary {
  runId: string;
  createdAt: string;
  tokenizer: TokenizerName;
  shape: ModelShape;
  metrics: ModelMetrics;
  /** The one `models/latest.json` points at, which `model=latest` serves. */
  latest: boolean;
  /** What `density`, `key`, `dynamics` and `style` accept for this model; null for a model trained without controls. */
  controls: ControlSummary | null;
}

/**
 * Every model with a `models/<runId>/manifest.json`, newest first.
 *
 * @example
 * const [newest] = await listModels(store);
 */
export async function listModels(store: Store): Promise<ModelSummary[]> {
  const manifestSuffix = `/${modelFileNames.manifest}`;
  const runIds = (await store.list(keys.modelsPrefix))
    .map((object) => object.key.slice(keys.modelsPrefix.length))
    .filter((rest) => rest.endsWith(manifestSuffix) && rest.indexOf('/') === rest.length - manifestSuffix.length)
    .map((rest) => rest.slice(0, -manifestSuffix.length));
  const [pointer, manifests] = await Promise.all([
    getJson<LatestPointer>(store, keys.latest),
    Promise.all(runIds.map((runId) => getJson<ModelManifest>(store, keys.modelPrefix(runId) + modelFileNames.manifest))),
  ]);
  return runIds
    .flatMap((runId, index) => {
      const manifest = manifests[index];
      if (!manifest) return [];
      return [{
        runId,
        createdAt: manifest.createdAt,
        tokenizer: manifest.tokenizer.name,
        shape: manifest.shape,
        metrics: manifest.metrics,
        latest: pointer?.runId === runId,
        controls: manifest.controls ? controlSummary(manifest.controls) : null,
      }];
    })
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
