import { RequestError } from '../pipeline/request-errors.js';
import type { HttpResponse, RequestLog } from './http-types.js';
import { errorBody } from './json-response.js';

/**
 * The answer for an error thrown while handling a request: a {@link RequestError} gets its own status and code, and
 * anything else a logged 500 whose body says nothing about the inside.
 *
 * @example
 * try { return await route.handle(request, options); } catch (error) { return errorResponse(error, log); }
 */
export function errorResponse(error: unknown, log: RequestLog): HttpResponse {
  if (!(error instanceof RequestError)) {
    log.error('request failed', { error });
    return errorBody(500, 'internal-error', 'something went wrong on our side; the error is logged');
  }
  log.info('request refused', { status: error.status, code: error.code, reason: error.message });
  return requestErrorResponse(error);
}

/**
 * A refused request's answer, `{ "error": { "code", "message" } }` with the error's status, and `Retry-After` when
 * the error says when a retry has a fair chance. Every adapter answers request errors through this.
 *
 * @example
 * writeResponse(response, requestErrorResponse(serverBusy('all generate slots are taken: try again in a few seconds')));
 */
export function requestErrorResponse(error: RequestError): HttpResponse {
  const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
  return errorBody(error.status, error.code, error.message, headers);
}
