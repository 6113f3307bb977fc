import { randomUUID } from 'node:crypto';
import type { Queue, QueueMessage, ReceiveOptions } from './queue.js';

export interface MemoryQueueOptions {
  /** Hidden time of a received message unless the receive says otherwise. Default 30 s, as SQS. */
  visibilitySeconds?: number;
  /** Like an SQS redrive policy's maxReceiveCount: a message received this many times moves to `deadLetters`. */
  maxReceives?: number;
  /** Clock, for tests: visibility timeouts and long-poll deadlines are read from it. Default `Date.now`. */
  now?: () => number;
}

/** A message received by a consumer that has not acked it; extend/ack with an older receipt are refused. */
export class MessageNotInFlightError extends Error {
  override name = 'MessageNotInFlightError';
}

interface StoredMessage {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  receipt: string | undefined;
}

/**
 * The work-queue port in memory, with the SQS behaviour the trainer relies on: visibility timeouts, receive counts,
 * long polls that wake on a send, and redrive to a dead-letter list after `maxReceives` receives.
 *
 * @example
 * const queue = new MemoryQueue({ maxReceives: 3 });
 * await queue.send('{"reason":"test"}');
 * const [message] = await queue.receive({ waitSeconds: 1 });
 * await queue.ack(message!);
 */
export class MemoryQueue implements Queue {
  /** Bodies of messages moved out after `maxReceives` receives (the dead-letter queue). */
  readonly deadLetters: string[] = [];
  private readonly messages: StoredMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly visibilitySeconds: number;
  private readonly now: () => number;

  constructor(private readonly options: MemoryQueueOptions = {}) {
    this.visibilitySeconds = options.visibilitySeconds ?? 30;
    this.now = options.now ?? Date.now;
  }

  async send(body: string): Promise<void> {
    this.messages.push({ id: randomUUID(), body, receiveCount: 0, visibleAt: 0, receipt: undefined });
    this.wake();
  }

  async receive(options: ReceiveOptions = {}): Promise<QueueMessage[]> {
    const maxMessages = options.maxMessages ?? 1;
    const deadline = this.now() + (options.waitSeconds ?? 0) * 1000;
    for (;;) {
      const taken = this.take(maxMessages, options.visibilitySeconds ?? this.visibilitySeconds);
      if (taken.length > 0 || this.now() >= deadline) return taken;
      await this.waitUntil(Math.min(deadline, this.nextVisibleAt() ?? deadline));
    }
  }

  async ack(message: QueueMessage): Promise<void> {
    const index = this.messages.findIndex((stored) => stored.id === message.id);
    if (index >= 0 && this.messages[index]!.receipt === message.receipt) this.messages.splice(index, 1);
  }

  async extend(message: QueueMessage, visibilitySeconds: number): Promise<void> {
    const stored = this.messages.find((candidate) => candidate.id === message.id);
    if (!stored || stored.receipt !== message.receipt || stored.visibleAt <= this.now()) {
      throw new MessageNotInFlightError(`message ${message.id} is not in flight with this receipt`);
    }
    stored.visibleAt = this.now() + visibilitySeconds * 1000;
    if (visibilitySeconds === 0) this.wake();
  }

  /** Messages waiting or in flight (not acked, not dead-lettered). */
  get size(): number {
    return this.messages.length;
  }

  private take(maxMessages: number, visibilitySeconds: number): QueueMessage[] {
    const now = this.now();
    const taken: QueueMessage[] = [];
    for (const stored of [...this.messages]) {
      if (taken.length >= maxMessages) break;
      if (stored.visibleAt > now) continue;
      if (this.options.maxReceives !== undefined && stored.receiveCount >= this.options.maxReceives) {
        // SQS moves the message when a receive would exceed maxReceiveCount.
        this.messages.splice(this.messages.indexOf(stored), 1);
        this.deadLetters.push(stored.body);
        continue;
      }
      stored.receiveCount += 1;
      stored.receipt = randomUUID();
      stored.visibleAt = now + visibilitySeconds * 1000;
      taken.push({ id: stored.id, receipt: stored.receipt, body: stored.body, receiveCount: stored.receiveCount });
    }
    return taken;
  }

  private nextVisibleAt(): number | undefined {
    const now = this.now();
    const hidden = this.messages.map((stored) => stored.visibleAt).filter((at) => at > now);
    return hidden.length > 0 ? Math.min(...hidden) : undefined;
  }

  private waitUntil(at: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, at - this.now()));
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const done of [...this.waiters]) done();
  }
}
