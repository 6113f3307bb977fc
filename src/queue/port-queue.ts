import type { MessagePort } from 'node:worker_threads';
import type { Queue, QueueMessage, ReceiveOptions } from './queue.js';

type Operation =
  | { op: 'send'; body: string }
  | { op: 'receive'; options: ReceiveOptions | undefined }
  | { op: 'ack'; message: QueueMessage }
  | { op: 'extend'; message: QueueMessage; visibilitySeconds: number };
type Call = Operation & { id: number };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/**
 * The queue port inside a worker thread, forwarding every call over a `MessagePort` to a queue the parent thread owns
 * ({@link serveQueue}): the local trainer runs in a worker on the server's in-memory queue.
 *
 * @example
 * const queue = new PortQueue(workerData.queuePort);
 */
export class PortQueue implements Queue {
  private next = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(private readonly port: MessagePort) {
    port.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.value);
      else waiting?.reject(new Error(reply.error));
    });
  }

  send(body: string): Promise<void> {
    return this.call({ op: 'send', body }) as Promise<void>;
  }

  receive(options?: ReceiveOptions): Promise<QueueMessage[]> {
    return this.call({ op: 'receive', options }) as Promise<QueueMessage[]>;
  }

  ack(message: QueueMessage): Promise<void> {
    return this.call({ op: 'ack', message }) as Promise<void>;
  }

  extend(message: QueueMessage, visibilitySeconds: number): Promise<void> {
    return this.call({ op: 'extend', message, visibilitySeconds }) as Promise<void>;
  }

  /** Lets the worker exit once nothing waits on the parent. */
  close(): void {
    this.port.close();
  }

  private call(operation: Operation): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ ...operation, id } satisfies Call);
    });
  }
}

/** Answers a {@link PortQueue}'s calls arriving on `port` from `queue`. */
export function serveQueue(port: MessagePort, queue: Queue): void {
  port.on('message', (call: Call) => {
    const run = (): Promise<unknown> => {
      switch (call.op) {
        case 'send':
          return queue.send(call.body);
        case 'receive':
          return queue.receive(call.options);
        case 'ack':
          return queue.ack(call.message);
        case 'extend':
          return queue.extend(call.message, call.visibilitySeconds);
      }
    };
    run().then(
      (value) => port.postMessage({ id: call.id, ok: true, value } satisfies Reply),
      (error: unknown) => port.postMessage({ id: call.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies Reply),
    );
  });
}
