export interface QueueMessage {
  id: string;
  /** Opaque handle for ack/extend (SQS receipt handle). */
  receipt: string;
  body: string;
  /** How many times this message has been received, this time included. */
  receiveCount: number;
}

export interface ReceiveOptions {
  maxMessages?: number; // 1..10
  waitSeconds?: number; // long poll, 0..20
  visibilitySeconds?: number;
  /** Ends a long poll early (the adapter rejects): a stopping trainer need not wait out its 20 s poll. */
  signal?: AbortSignal;
}

/** The work-queue port: SQS in the cloud, in memory on one machine. */
export interface Queue {
  send(body: string): Promise<void>;
  receive(options?: ReceiveOptions): Promise<QueueMessage[]>;
  ack(message: QueueMessage): Promise<void>;
  extend(message: QueueMessage, visibilitySeconds: number): Promise<void>;
}
