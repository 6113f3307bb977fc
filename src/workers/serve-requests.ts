import { parentPort, type Transferable } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './worker-messages.js';

/** What a pooled worker does with each request. */
export interface RequestHandler<Payload, Result> {
  handle(payload: Payload): Result | Promise<Result>;
  /** Buffers of a result to hand over instead of copying. */
  transferOf?(result: Result): Transferable[];
  /** What the parent receives as `detail` of a failed request (e.g. a typed error's code); by default nothing. */
  describeError?(error: unknown): unknown;
  /** Releases what the worker holds before the pool stops it. */
  close?(): void | Promise<void>;
}

/**
 * The worker side of {@link WorkerPool}: builds the handler (a failure there fails the pool's start), then answers
 * requests one message each. Listens from the first moment, so requests sent while it starts wait instead of being lost.
 *
 * @example
 * await serveRequests(async () => ({ handle: (request: TokenizeRequest) => tokenizeMidiFile(request.bytes, request.source, tokenizer) }));
 */
export async function serveRequests<Payload, Result>(setup: () => RequestHandler<Payload, Result> | Promise<RequestHandler<Payload, Result>>): Promise<void> {
  const port = parentPort!;
  const send = (message: FromWorker<Result>, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  const handler = Promise.resolve().then(setup);
  port.on('message', async (message: ToWorker<Payload>) => {
    const ready = await handler.catch(() => undefined);
    if (!ready) return; // start failed: reported below
    if (message.kind === 'close') {
      await ready.close?.();
      return send({ kind: 'closed' });
    }
    try {
      const result = await ready.handle(message.payload);
      send({ kind: 'reply', id: message.id, result }, ready.transferOf?.(result));
    } catch (error) {
      const detail = ready.describeError?.(error);
      send({ kind: 'failed', id: message.id, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ...(detail !== undefined ? { detail } : {}) });
    }
  });
  try {
    await handler;
    send({ kind: 'ready' });
  } catch (error) {
    port.removeAllListeners('message');
    send({ kind: 'start-failed', message: error instanceof Error ? error.message : String(error) });
  }
}
