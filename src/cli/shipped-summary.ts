import type { ShippedOutcome } from '../pipeline/shipped-models.js';

/**
 * One phrase for the start-up line of `rubato serve` and `rubato emulate`: what happened to each shipped model.
 *
 * @example
 * shippedSummary([{ runId: 'large', status: 'unchanged' }, { runId: 'default', status: 'published', promotion }]);
 * // 'large (already published), default (published, latest)'
 */
export function shippedSummary(outcomes: readonly ShippedOutcome[]): string {
  if (outcomes.length === 0) return 'none found';
  return outcomes
    .map((outcome) => {
      if (outcome.status === 'unchanged') return `${outcome.runId} (already published)`;
      return `${outcome.runId} (published${outcome.promotion.promoted ? ', latest' : ''})`;
    })
    .join(', ');
}
