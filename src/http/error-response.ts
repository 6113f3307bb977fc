import { BadRequestError, ModelNotFoundError, NoModelError, PayloadTooLargeError } from '../pipeline/request-errors.js';
import type { HttpResponse, RequestLog } from './http-types.js';
import { errorBody } from './json-response.js';

/**
 * The answer for an error thrown while handling a request: the request's own faults get their 4xx, a missing
 * model 503, and anything else a logged 500 whose body says nothing about the inside.
 */
export function errorResponse(error: unknown, log: RequestLog): HttpResponse {
  if (error instanceof BadRequestError) return errorBody(400, error.code, error.message);
  if (error instanceof ModelNotFoundError) return errorBody(404, error.code, error.message);
  if (error instanceof PayloadTooLargeError) return errorBody(413, error.code, error.message);
  if (error instanceof NoModelError) return errorBody(503, error.code, error.message, { 'retry-after': '60' });
  log.error('request failed', { error });
  return errorBody(500, 'internal-error', 'something went wrong on our side; the error is logged');
}
