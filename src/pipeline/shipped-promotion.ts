import type { PromotionPolicy } from './publish-model.js';

/** How a model that ships with rubato (`models/default`, `models/large`) is published. */
export interface ShippedPolicy {
  /** The rubato version it ships with, recorded in its promotion reason. */
  version: string;
  /** The model a fresh bucket serves and a trained run must beat (`default`); the others are offered beside it. */
  incumbent: boolean;
}

/**
 * Whether a shipped model becomes (or stays) `latest`, as the policy {@link publishModel} applies. The incumbent is
 * served while the pointer is absent or still names it — then the pointer is rewritten even though the run id is the
 * same, so a warm generate function reloads the updated files. Any other pointer names a model the user trained or
 * promoted, and is never moved.
 *
 * @example
 * await publishModel(store, { runId: 'default', stagingPrefix, policy: shippedPolicy({ version: '0.1.0', incumbent: true }) });
 * // → promotion { promoted: true, reason: 'promoted: shipped with rubato 0.1.0, …' } on a fresh bucket, pointer → default
 */
export function shippedPolicy(policy: ShippedPolicy): PromotionPolicy {
  const shipped = `shipped with rubato ${policy.version}`;
  return ({ runId }, current) => {
    if (!policy.incumbent) {
      return { promotion: { promoted: false, reason: `not promoted: ${shipped} beside the default model; promote it to serve it` }, pointTo: undefined };
    }
    if (current && current.runId !== runId) {
      return { promotion: { promoted: false, reason: `not promoted: ${shipped}, but ${current.runId} is served (trained or promoted by a user)` }, pointTo: undefined };
    }
    return { promotion: { promoted: true, reason: `promoted: ${shipped}, served until a trained model beats it` }, pointTo: runId };
  };
}
