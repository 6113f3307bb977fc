import { modelFileNames } from '../model/model-files.js';
import { modelManifestSchema, type ModelMetrics } from '../model/manifest.js';
import type { SamplingDefaults } from '../model/sampling-defaults.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import type { ModelShape } from '../model/config.js';
import { getJson } from '../store/json.js';
import type { Store, StoredObject } from '../store/store.js';
import { controlSummary, type ControlSummary } from './control-inputs.js';
import { validOrWarn } from '../log/damaged-object.js';
import { silentLog, type PipelineLog } from '../log/log.js';
import { keys } from './keys.js';
import { readLatest } from './latest-pointer.js';
import type { Promotion } from './promotion.js';

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
  /** Whether publishing promoted it, and why; null for models published before promotion was decided. */
  promotion: Promotion | null;
  /** What it was trained on; null when the manifest does not say. */
  data: { files: number; events: number } | null;
  /** The run it was fine-tuned from; null when trained from scratch (or not recorded). */
  startedFrom: string | null;
  /** The rubato version it shipped with; null for a trained run. */
  shippedWith: string | null;
  /** The decoding a request that leaves a field out gets from this model (`withPrimer`: for a continuation); null: rubato's defaults. */
  sampling: SamplingDefaults | null;
}

/** `GET /models`: the published models and the run `models/latest.json` names (null when none, or unreadable). */
export interface ModelList {
  models: ModelSummary[];
  latest: string | null;
}

/**
 * The runs published among `objects` (a LIST of `models/`): those with a `models/<runId>/manifest.json`, the manifest
 * being written last. What a published model is, said once for the scan and for the index's freshness check.
 *
 * @example
 * publishedRunIds(await store.list(keys.modelsPrefix)); // ['default', 'run-3f2a…']
 */
export function publishedRunIds(objects: readonly StoredObject[]): string[] {
  const manifestSuffix = `/${modelFileNames.manifest}`;
  return objects
    .map((object) => object.key.slice(keys.modelsPrefix.length))
    .filter((rest) => rest.endsWith(manifestSuffix) && rest.indexOf('/') === rest.length - manifestSuffix.length)
    .map((rest) => rest.slice(0, -manifestSuffix.length));
}

/**
 * Every model with a readable `models/<runId>/manifest.json`, newest first, and the one `latest` names. A damaged
 * manifest leaves its model out of the list (logged once), so one bad object never hides the others behind a 500.
 *
 * @example
 * const { models: [newest], latest } = await listModels(store);
 */
export async function listModels(store: Store, log: PipelineLog = silentLog): Promise<ModelList> {
  const runIds = publishedRunIds(await store.list(keys.modelsPrefix));
  const [pointer, manifests] = await Promise.all([
    readLatest(store, log).then((read) => read.pointer),
    Promise.all(
      runIds.map(async (runId) =>
        validOrWarn(await getJson(store, keys.modelPrefix(runId) + modelFileNames.manifest, modelManifestSchema), log, 'leaving the model out of GET /models'),
      ),
    ),
  ]);
  const models = runIds
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
        promotion: manifest.promotion ?? null,
        data: manifest.data ?? null,
        startedFrom: manifest.startedFrom ?? null,
        shippedWith: manifest.shippedWith ?? null,
        sampling: manifest.sampling ?? null,
      }];
    })
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return { models, latest: pointer?.runId ?? null };
}
