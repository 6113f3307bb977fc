/** Parent → worker. */
export type ToWorker<Payload> = { kind: 'request'; id: number; payload: Payload } | { kind: 'close' };

/** Worker → parent. `detail` is the handler's encoding of a failed request (e.g. a typed error's code). */
export type FromWorker<Result> =
  | { kind: 'ready' }
  | { kind: 'start-failed'; message: string }
  | { kind: 'reply'; id: number; result: Result }
  | { kind: 'failed'; id: number; message: string; detail?: unknown }
  | { kind: 'closed' };
