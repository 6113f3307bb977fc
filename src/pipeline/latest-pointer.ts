import { z } from 'zod';
import { silentLog, type PipelineLog } from '../log/log.js';
import type { Store } from '../store/store.js';
import type { LatestPointer } from './contracts.js';
import { keys } from './keys.js';
import { runIdPattern } from './run-id.js';

const pointerSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string().regex(runIdPattern),
  publishedAt: z.string(),
});

/** The pointer as read, with the ETag a compare-and-swap must match (present even when the pointer is unreadable). */
export interface LatestRead {
  pointer: LatestPointer | undefined;
  etag: string | undefined;
}

/** Lost compare-and-swap rounds before {@link swapLatest} gives up: each loss means another writer just succeeded. */
const maxSwapAttempts = 8;

/** Another writer kept winning the race for `models/latest.json`. */
export class LatestContentionError extends Error {
  override name = 'LatestContentionError';
}

/**
 * Reads `models/latest.json`. An unreadable or malformed pointer counts as "no model" and is logged, so a damaged
 * object never turns into a 500 or a server that refuses to start; the next publish or promotion replaces it.
 *
 * @example
 * const { pointer } = await readLatest(store, log);
 */
export async function readLatest(store: Store, log: PipelineLog = silentLog): Promise<LatestRead> {
  const object = await store.getVersioned(keys.latest);
  if (!object) return { pointer: undefined, etag: undefined };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(object.bytes));
  } catch {
    json = undefined;
  }
  const parsed = pointerSchema.safeParse(json);
  if (!parsed.success) {
    log.warn('models/latest.json is unreadable; treating it as no model until a model is published or promoted', {
      bytes: object.bytes.length,
      issue: parsed.error.issues[0]?.message,
    });
    return { pointer: undefined, etag: object.etag };
  }
  return { pointer: parsed.data, etag: object.etag };
}

/**
 * Compare-and-swap on `models/latest.json`: reads it, asks `decide` what it should name, and writes that only if the
 * object is still the one read (`If-Match` on its ETag, `If-None-Match: *` when absent). A writer that loses re-reads
 * and decides again on the new pointer. A decision without `pointTo` leaves the pointer as it is.
 * Resolves the last decision, with the pointer written, if any.
 *
 * @example
 * const { written } = await swapLatest(store, async (current) => ({ pointTo: current?.runId === 'run-a' ? undefined : 'run-a' }));
 */
export async function swapLatest<Decision extends { pointTo?: string | undefined }>(
  store: Store,
  decide: (current: LatestPointer | undefined) => Promise<Decision>,
  log: PipelineLog = silentLog,
): Promise<{ decision: Decision; written: LatestPointer | undefined }> {
  for (let attempt = 1; attempt <= maxSwapAttempts; attempt++) {
    const current = await readLatest(store, log);
    const decision = await decide(current.pointer);
    if (decision.pointTo === undefined) return { decision, written: undefined };
    const pointer: LatestPointer = { schemaVersion: 1, runId: decision.pointTo, publishedAt: new Date().toISOString() };
    const body = new TextEncoder().encode(JSON.stringify(pointer, null, 2));
    const condition = current.etag === undefined ? { ifAbsent: true } : { ifMatch: current.etag };
    if (await store.put(keys.latest, body, { contentType: 'application/json', ...condition })) return { decision, written: pointer };
    log.info('models/latest.json changed while deciding; deciding again', { attempt, runId: decision.pointTo });
  }
  throw new LatestContentionError(`models/latest.json changed ${maxSwapAttempts} times while deciding; try again`);
}
