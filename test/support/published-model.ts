import { saveModel } from '../../src/model/model-files.js';
import type { LatestPointer } from '../../src/pipeline/contracts.js';
import { keys } from '../../src/pipeline/keys.js';
import { putJson } from '../../src/store/json.js';
import type { Store } from '../../src/store/store.js';
import { manifestFor, randomModel, tinyShape } from '../unit/model/model-fixtures.js';

/** Writes a random tiny model under `models/<runId>/` (no pointer). */
export async function saveTinyModel(store: Store, runId: string, createdAt = new Date(0).toISOString(), seed = 1): Promise<void> {
  const { parameters } = randomModel(tinyShape, seed);
  await saveModel(store, keys.modelPrefix(runId), { parameters, manifest: manifestFor(tinyShape, { createdAt }) });
}

/** Points `models/latest.json` at a run, as the trainer does last when it publishes. */
export async function publishLatest(store: Store, runId: string, publishedAt = new Date().toISOString()): Promise<void> {
  const pointer: LatestPointer = { schemaVersion: 1, runId, publishedAt };
  await putJson(store, keys.latest, pointer);
}

/** Every object of a store, by key: the initial content of a mocked bucket (`mockBucket(s3, await storeObjects(store))`). */
export async function storeObjects(store: Store): Promise<Record<string, Uint8Array>> {
  const objects = await store.list('');
  const bodies = await Promise.all(objects.map((object) => store.get(object.key)));
  return Object.fromEntries(objects.map((object, index) => [object.key, bodies[index]!]));
}
