/** A worker bundle is missing or stale and cannot be built here (esbuild absent, folder not writable). */
export class WorkerBundleError extends Error {
  override readonly name = 'WorkerBundleError';
}

/** What went wrong with a pooled worker: it could not start, it died, or a request threw inside it. */
export type WorkerFailureKind = 'start' | 'crash' | 'request';

/** A pool's worker failed; `detail` is what the worker's handler encoded for a failed request. */
export class WorkerPoolError extends Error {
  override readonly name = 'WorkerPoolError';

  constructor(
    readonly kind: WorkerFailureKind,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}
