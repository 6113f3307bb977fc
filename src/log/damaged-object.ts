import type { JsonRead } from '../store/json.js';
import type { PipelineLog } from './log.js';

/** Damage already reported, per log: the key and the reason, so a new kind of damage to the same key is told too. */
const reported = new WeakMap<PipelineLog, Set<string>>();

/**
 * Warns that a persisted object is damaged, naming its key, the reason and what the reader does instead — once per
 * log, key and reason: the page polls the file list and the models every few seconds, and one damaged object must
 * not fill the log.
 *
 * @example
 * warnDamaged(log, { key: 'rejected/uploads/a.mid.json', reason: 'code: Required' }, 'listing the upload as damaged');
 */
export function warnDamaged(log: PipelineLog, damage: { key: string; reason: string }, instead: string): void {
  const seen = reported.get(log) ?? new Set<string>();
  reported.set(log, seen);
  const id = `${damage.key}\n${damage.reason}`;
  if (seen.has(id)) return;
  seen.add(id);
  log.warn(`damaged object ${damage.key}: ${instead}`, { key: damage.key, reason: damage.reason });
}

/**
 * The value `getJson` read, or undefined when the object is absent or damaged — damage reported by
 * {@link warnDamaged}. For readers to whom a damaged object counts as none.
 *
 * @example
 * const record = validOrWarn(await getJson(store, key, schema), log, 'ignoring it');
 */
export function validOrWarn<T>(read: JsonRead<T>, log: PipelineLog, instead: string): T | undefined {
  if (read.status === 'damaged') warnDamaged(log, read, instead);
  return read.status === 'valid' ? read.value : undefined;
}
