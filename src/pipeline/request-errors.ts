/**
 * What a generate request can get wrong, or meet: each a typed error the HTTP layer maps to one status.
 * `code` is stable (clients may switch on it); `message` names the parameter and what to send instead.
 */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
  constructor(
    readonly code: 'invalid-parameter' | 'unknown-parameter' | 'invalid-json' | 'invalid-primer' | 'unsupported-control',
    message: string,
  ) {
    super(message);
  }
}

/** A body or primer larger than the API accepts (HTTP 413). */
export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
  readonly code = 'payload-too-large';
}

/** Nothing published yet: `models/latest.json` is absent (HTTP 503: retry once training has published a model). */
export class NoModelError extends Error {
  override readonly name = 'NoModelError';
  readonly code = 'no-model';
}

/** A model asked for by runId that is not in the bucket (HTTP 404). */
export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
  readonly code = 'model-not-found';
}

/**
 * Too much work already waiting: a generate request that cannot start, or could not sample a single event, before its
 * deadline (HTTP 503 with `Retry-After`). Never answered as a 200 without music.
 */
export class ServerBusyError extends Error {
  override readonly name = 'ServerBusyError';
  readonly code = 'busy';
  constructor(
    message: string,
    /** When a retry has a fair chance, for the `Retry-After` header. */
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
  }
}
