import { BadRequestError, ModelNotFoundError, NoModelError, PayloadTooLargeError, ServerBusyError } from '../pipeline/request-errors.js';
import type { HttpResponse, RequestLog } from './http-types.js';
import { errorBody } from './json-response.js';

/**
 * The answer for an error thrown while handling a request: the request's own faults get their 4xx, a missing
 * model or a full queue 503 (with `Retry-After`), and anything else a logged 500 whose body says nothing about the inside.
 */
export function errorResponse(error: unknown, log: RequestLog): HttpResponse {
  const status = statusOf(error);
  if (status === undefined) {
    log.error('request failed', { error });
    return errorBody(500, 'internal-error', 'something went wrong on our side; the error is logged');
  }
  const { code, message } = error as { code: string; message: string };
  log.info('request refused', { status, code, message });
  const retryAfter = error instanceof ServerBusyError ? error.retryAfterSeconds : 60;
  return errorBody(status, code, message, status === 503 ? { 'retry-after': String(retryAfter) } : {});
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof BadRequestError) return 400;
  if (error instanceof ModelNotFoundError) return 404;
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof NoModelError || error instanceof ServerBusyError) return 503;
  return undefined;
}
