import { z } from 'zod';
import { validOrWarn } from '../log/damaged-object.js';
import { silentLog, type PipelineLog } from '../log/log.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import { keys } from './keys.js';
import { readLatest } from './latest-pointer.js';
import { listModels, publishedRunIds, type ModelList, type ModelSummary } from './list-models.js';

/** One object describing every published model, written at publish time, so `GET /models` reads one object, not one per model. */
export const modelsIndexKey = 'models/index.json';

/**
 * The index checks its envelope and the keys `GET /models` relies on; the rest of each entry is the summary
 * {@link listModels} made when the index was written, kept whole so the index follows `ModelSummary` as it grows.
 */
const indexedModel = z.looseObject({ runId: z.string().min(1), createdAt: z.string() });
const modelsIndexSchema = z.object({ schemaVersion: z.literal(1), writtenAt: z.string(), models: z.array(indexedModel) });
/** What the index keeps per model: its summary without `latest`, which follows `models/latest.json` at read time. */
export type IndexedModel = Omit<ModelSummary, 'latest'>;
export interface ModelsIndex {
  schemaVersion: 1;
  writtenAt: string;
  models: IndexedModel[];
}

/**
 * Writes `models/index.json` describing `models` (default: a scan of the bucket) and returns it. The trainer calls it
 * after each publish (see pruneModels); promoting a model needs no rewrite, as `latest` is not stored.
 *
 * @example
 * await writeModelsIndex(store);
 */
export async function writeModelsIndex(store: Store, models?: readonly ModelSummary[]): Promise<ModelsIndex> {
  const summaries = (models ?? (await listModels(store)).models).map(({ latest: _latest, ...summary }) => summary);
  const index: ModelsIndex = { schemaVersion: 1, writtenAt: new Date().toISOString(), models: summaries };
  await putJson(store, modelsIndexKey, index);
  return index;
}

/** The index, or undefined when there is none yet or it does not read as one (the caller scans instead). */
export async function readModelsIndex(store: Store, log: PipelineLog = silentLog): Promise<ModelsIndex | undefined> {
  const read = await getJson(store, modelsIndexKey, modelsIndexSchema);
  // Only writeModelsIndex writes this key, from listModels' own summaries; the schema checked the envelope.
  return validOrWarn(read, log, 'reading every manifest instead') as ModelsIndex | undefined;
}

/**
 * `GET /models`: one LIST of `models/`, the index and the pointer, however many models there are. The LIST keeps it
 * honest: when the runs with a manifest are not exactly the ones indexed (the index is missing or older than a publish
 * that did not rewrite it), every manifest is read instead, as {@link listModels} does.
 *
 * @example
 * const { models: [newest], latest } = await listPublishedModels(store);
 */
export async function listPublishedModels(store: Store, log: PipelineLog = silentLog): Promise<ModelList> {
  const [objects, index] = await Promise.all([store.list(keys.modelsPrefix), readModelsIndex(store, log)]);
  const published = new Set(publishedRunIds(objects));
  const current = index && index.models.length === published.size && index.models.every((model) => published.has(model.runId));
  if (!current) return listModels(store, log);
  const { pointer } = await readLatest(store, log);
  return {
    models: index.models.map((model) => ({ ...model, latest: pointer?.runId === model.runId })),
    latest: pointer?.runId ?? null,
  };
}
