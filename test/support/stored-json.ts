import type { z } from 'zod';
import { getJson } from '../../src/store/json.js';
import type { Store } from '../../src/store/store.js';

/**
 * A persisted object as a test reads it back: its value, or undefined while it is absent (so it fits `waitFor`).
 * A damaged one fails the test with its key and what is wrong, as the code under test must never write one.
 *
 * @example const manifest = await storedJson(store, 'models/run-a/manifest.json', modelManifestSchema);
 */
export async function storedJson<T>(store: Store, key: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const read = await getJson(store, key, schema);
  if (read.status === 'damaged') throw new Error(`${read.key} is damaged: ${read.reason}`);
  return read.status === 'valid' ? read.value : undefined;
}
