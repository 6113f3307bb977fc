import { silentLog, type PipelineLog } from '../log/log.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { RejectionRecord } from './contracts.js';
import { keys } from './keys.js';
import { rejectionRecordSchema } from './rejection-record.js';

/**
 * Records an upload that preprocessing gave up on (it threw on every attempt: a bug or an outage, not a bad file) as
 * `rejected/<key>.json` with code `internal`, so its author sees it failed instead of waiting for it forever. A
 * rejection already there keeps its more precise reason; a damaged one has none left to keep and is replaced.
 *
 * @example
 * await recordPreprocessFailure(store, 'uploads/a.mid', 'preprocessing failed 3 times: Task timed out');
 */
export async function recordPreprocessFailure(store: Store, uploadKey: string, reason: string, log: PipelineLog = silentLog): Promise<'recorded' | 'already-rejected'> {
  const key = keys.rejected(uploadKey);
  if ((await getJson(store, key, rejectionRecordSchema)).status === 'valid') return 'already-rejected';
  const record: RejectionRecord = {
    schemaVersion: 1,
    key: uploadKey,
    code: 'internal',
    message: `${reason}; this is our fault, not the file's: upload it again later`,
    rejectedAt: new Date().toISOString(),
  };
  await putJson(store, key, record);
  log.warn('upload recorded as failed', { key: uploadKey, reason });
  return 'recorded';
}
