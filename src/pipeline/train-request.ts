import { z } from 'zod';
import type { TokenizerName } from '../tokens/tokenizer.js';
import type { TrainRequest } from './contracts.js';

/** A queue message that is not a train request this trainer can serve; it is retried, then dead-lettered. */
export class TrainRequestError extends Error {
  override name = 'TrainRequestError';
}

const trainRequestSchema = z.object({
  schemaVersion: z.literal(1),
  requestedAt: z.string(),
  reason: z.string(),
  tokenizer: z.enum(['performance', 'notes-chords']),
  minutes: z.number().positive().max(24 * 60).optional(),
  fromScratch: z.boolean().optional(),
});

/**
 * Parses a message body; throws {@link TrainRequestError} for anything but a v1 request for `tokenizer`.
 *
 * @example
 * const request = parseTrainRequest(message.body, 'performance');
 */
export function parseTrainRequest(body: string, tokenizer: TokenizerName): TrainRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new TrainRequestError(`message body is not JSON: ${body.slice(0, 80)}`);
  }
  const parsed = trainRequestSchema.safeParse(json);
  if (!parsed.success) throw new TrainRequestError(`not a train request: ${parsed.error.issues[0]!.message} at ${parsed.error.issues[0]!.path.join('.')}`);
  if (parsed.data.tokenizer !== tokenizer) {
    throw new TrainRequestError(`request for the ${parsed.data.tokenizer} dataset; this trainer trains ${tokenizer}`);
  }
  return parsed.data;
}

/**
 * What one run serving several requests trains with: the largest budget asked (else `defaultMinutes`), and from
 * scratch when any request asked so.
 *
 * @example
 * const { minutes, fromScratch } = coalesceRequests(requests, 30);
 */
export function coalesceRequests(requests: readonly TrainRequest[], defaultMinutes: number): { minutes: number; fromScratch: boolean } {
  const asked = requests.flatMap((request) => (request.minutes === undefined ? [] : [request.minutes]));
  return {
    minutes: asked.length > 0 ? Math.max(...asked) : defaultMinutes,
    fromScratch: requests.some((request) => request.fromScratch === true),
  };
}
