import { createHash } from 'node:crypto';

/**
 * The id of the run that trains `dataDigest` with `config`: the same data and settings always give the same id, so a
 * re-delivered message or a restarted container finds the run's checkpoint and resumes it instead of starting over.
 *
 * @example
 * runIdFor(dataset.digest, { tokenizer: 'performance', shape, hyperparameters, minutes: 30 }); // 'run-3f2a…-9c1d…'
 */
export function runIdFor(dataDigest: string, config: unknown): string {
  const configDigest = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  return `run-${dataDigest.slice(0, 12)}-${configDigest.slice(0, 8)}`;
}

/** What a run id may look like (`run-<data>-<config>`, `default`, or a name a user gave a copied model). */
export const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
