import type { z } from 'zod';
import type { Store } from './store.js';

/** An object that is there but does not read as what its key promises: not JSON, or refused by its schema. */
export interface DamagedJson {
  key: string;
  /** What is wrong, for a log line: the parse error, or the first field the schema refused and why. */
  reason: string;
}

/** What reading one persisted JSON object found. */
export type JsonRead<T> = { status: 'absent' } | { status: 'valid'; value: T } | ({ status: 'damaged' } & DamagedJson);

/**
 * Reads `key` and checks it against `schema`. Every persisted object is read through its schema, never cast: a damaged
 * one is an outcome the caller decides about (skip it, show it, fall back), not a SyntaxError or a missing field that
 * surfaces as a 500 far from the object.
 *
 * @example
 * const read = await getJson(store, 'local/training.json', trainingRecordSchema);
 * if (read.status === 'damaged') log.warn('damaged object', { key: read.key, reason: read.reason });
 */
export async function getJson<T>(store: Store, key: string, schema: z.ZodType<T>): Promise<JsonRead<T>> {
  const bytes = await store.get(key);
  if (bytes === undefined) return { status: 'absent' };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    return { status: 'damaged', key, reason: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { status: 'valid', value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { status: 'damaged', key, reason: `${issue.path.join('.') || 'the document'}: ${issue.message}` };
}

export async function putJson(store: Store, key: string, value: unknown): Promise<void> {
  await store.put(key, new TextEncoder().encode(JSON.stringify(value, null, 2)), {
    contentType: 'application/json',
  });
}
