/**
 * A request the service refuses, or cannot serve now: the HTTP `status` every adapter answers it with, a stable
 * `code` clients may switch on, a `message` that names the parameter and what to send instead, and for a 503 when a
 * retry has a fair chance (`Retry-After`). Build the common ones with the functions below.
 *
 * @example
 * throw new RequestError('no-data', 409, 'no accepted MIDI files yet: upload some before training');
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Seconds after which a retry has a fair chance, for the `Retry-After` header; absent: no header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** What a generate or promote request can get wrong (HTTP 400). */
export type BadRequestCode = 'invalid-parameter' | 'unknown-parameter' | 'invalid-json' | 'invalid-primer' | 'unsupported-control';

/** A parameter or body the request must change (HTTP 400). */
export function badRequest(code: BadRequestCode, message: string): RequestError {
  return new RequestError(code, 400, message);
}

/** A body or primer larger than the API accepts (HTTP 413). */
export function payloadTooLarge(message: string): RequestError {
  return new RequestError('payload-too-large', 413, message);
}

/** A model asked for by runId that is not in the bucket (HTTP 404). */
export function modelNotFound(message: string): RequestError {
  return new RequestError('model-not-found', 404, message);
}

/** Nothing published yet: `models/latest.json` is absent (HTTP 503: retry once training has published a model). */
export function noModel(message: string): RequestError {
  return new RequestError('no-model', 503, message, 60);
}

/**
 * Too much work already waiting: a generate request that cannot start, or could not sample a single event, before its
 * deadline (HTTP 503 with `Retry-After`). Never answered as a 200 without music.
 */
export function serverBusy(message: string, retryAfterSeconds = 5): RequestError {
  return new RequestError('busy', 503, message, retryAfterSeconds);
}

/** True for a request its sender must change (a 4xx), as opposed to one to retry later or a failure inside. */
export function isClientError(error: unknown): error is RequestError {
  return error instanceof RequestError && error.status >= 400 && error.status < 500;
}
