import { warnDamaged } from '../log/damaged-object.js';
import { silentLog, type PipelineLog } from '../log/log.js';
import { modelManifestSchema, type ModelManifest } from '../model/manifest.js';
import { modelFileNames } from '../model/model-files.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import { keys } from './keys.js';
import { writeModelsIndex } from './models-index.js';
import type { Promotion } from './promotion.js';
import { NothingToPublishError, publishModel } from './publish-model.js';
import { shippedPolicy } from './shipped-promotion.js';

/** The shipped model a fresh bucket serves as `latest`: the incumbent a trained run must beat. */
export const incumbentRunId = 'default';

/** One file of a shipped model: its name under `models/<runId>/` and where the source holds it. */
export interface ShippedFile {
  name: string;
  key: string;
}

/** A model that ships with rubato, published under its folder's name (`default`, `large`). */
export interface ShippedModel {
  runId: string;
  files: readonly ShippedFile[];
}

export interface ShippedModels {
  /** Where the files are read: the repository's `models/` folder, or the stack's asset bucket. */
  source: Store;
  /** Which files make which model (`committedModels` reads them from a `models/` folder). */
  models: readonly ShippedModel[];
  /** The rubato version they ship with, recorded in each one's promotion reason. */
  version: string;
}

/** What {@link publishShippedModels} did with one model. */
export type ShippedOutcome = { runId: string; status: 'unchanged' } | { runId: string; status: 'published'; promotion: Promotion };

/**
 * Publishes the models that ship with rubato into a bucket through {@link publishModel}, as at every start of the local
 * server and the emulator and at every deploy of the stack: a model whose published manifest has another `createdAt`
 * (or none) is staged and published again; the incumbent (`default`) goes last and becomes `latest` by the rule of
 * {@link shippedPolicy}; `models/index.json` is rewritten when anything was published.
 *
 * @example
 * await publishShippedModels(store, { source: new FsStore('models'), models: committedModels('models'), version: '0.1.0' });
 */
export async function publishShippedModels(store: Store, shipped: ShippedModels, log: PipelineLog = silentLog): Promise<ShippedOutcome[]> {
  const incumbentLast = [...shipped.models].sort((a, b) => Number(a.runId === incumbentRunId) - Number(b.runId === incumbentRunId));
  const outcomes: ShippedOutcome[] = [];
  for (const model of incumbentLast) outcomes.push(await publishOne(store, shipped, model, log));
  if (outcomes.some((outcome) => outcome.status === 'published')) await writeModelsIndex(store);
  return outcomes;
}

async function publishOne(store: Store, { source, version }: ShippedModels, model: ShippedModel, log: PipelineLog): Promise<ShippedOutcome> {
  const { runId, files } = model;
  const manifestFile = files.find((file) => file.name === modelFileNames.manifest);
  const read = manifestFile ? await getJson(source, manifestFile.key, modelManifestSchema) : { status: 'absent' as const };
  if (read.status === 'absent') throw new NothingToPublishError(`shipped model ${runId}: no ${modelFileNames.manifest} in its files`);
  if (read.status === 'damaged') throw new NothingToPublishError(`shipped model ${runId}: ${read.key} is damaged (${read.reason})`);
  const manifest = read.value;
  if ((await publishedCreatedAt(store, runId, log)) === manifest.createdAt) {
    log.info('shipped model already published', { runId, createdAt: manifest.createdAt });
    return { runId, status: 'unchanged' };
  }
  const stagingPrefix = keys.checkpointPrefix(runId);
  for (const file of files.filter((candidate) => candidate !== manifestFile)) {
    const bytes = await source.get(file.key);
    if (!bytes) throw new NothingToPublishError(`shipped model ${runId}: ${file.key} is missing from the source`);
    await store.put(stagingPrefix + file.name, bytes);
  }
  await putJson(store, stagingPrefix + modelFileNames.manifest, { ...manifest, shippedWith: version } satisfies ModelManifest);
  const policy = shippedPolicy({ version, incumbent: runId === incumbentRunId });
  const { promotion } = await publishModel(store, { runId, stagingPrefix, policy, log });
  return { runId, status: 'published', promotion };
}

/** When the published copy was trained; undefined when there is none or its manifest is damaged (publish again). */
async function publishedCreatedAt(store: Store, runId: string, log: PipelineLog): Promise<string | undefined> {
  const read = await getJson(store, keys.modelPrefix(runId) + modelFileNames.manifest, modelManifestSchema);
  if (read.status === 'damaged') warnDamaged(log, read, 'publishing the shipped model again');
  return read.status === 'valid' ? read.value.createdAt : undefined;
}
