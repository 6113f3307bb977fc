import type { IncomingMessage } from 'node:http';
import { serverBusy } from '../pipeline/request-errors.js';

export interface AdmissionLimits {
  /** Declared bytes of the uploads being read and tokenized at once; one upload larger than this still runs alone. */
  bytesInFlight: number;
  /** Uploads that may wait, in arrival order, for room; one more is refused at once. */
  waiting: number;
  /** How long one may wait before it is refused after all: less than the server's request timeout. */
  waitMs: number;
  /** What a refusal's `Retry-After` says. */
  retryAfterSeconds: number;
}

/**
 * The upload limits of the local server for uploads of at most `maxUploadBytes`. Each upload holds its bytes several
 * times over on the main thread (body, stored copy, tokens) and costs its tokenizing worker hundreds of MB for a dense
 * file: 30 parallel 5 MiB uploads took the server to 1.6 GB and `/health` to 2.3 s. One of the largest in flight (small
 * files pass side by side) keeps that crowd at 794 MB against 1,023 MB with two, for 6 % more time (`npm run bench --
 * hostile`, quiet machine); a handful more may wait, unread (the kernel holds their bytes back).
 */
export function uploadAdmissionLimits(maxUploadBytes: number): AdmissionLimits {
  return { bytesInFlight: maxUploadBytes, waiting: 4, waitMs: 20_000, retryAfterSeconds: 5 };
}

interface Waiter {
  weight: number;
  admit(): void;
}

/**
 * Bounds the bytes the local server holds and tokenizes for uploads: an upload is admitted, before its body is read,
 * while the declared bytes in flight stay within {@link AdmissionLimits.bytesInFlight}; otherwise it waits in a small
 * first-come queue, and past that queue (or past its wait) it gets a 503 `busy` with `Retry-After`. Small files pass
 * side by side; large ones take turns.
 *
 * @example
 * const admission = new UploadAdmission(uploadAdmissionLimits(5 << 20));
 * const release = await admission.admit(declaredUploadBytes(request, 5 << 20)); // throws RequestError('busy', 503, …) when full
 * try { await handle(request); } finally { release(); }
 */
export class UploadAdmission {
  private inFlight = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly limits: AdmissionLimits) {}

  /** Waits for room for an upload of `bytes`; resolves with the function that gives the room back once its work is done. */
  async admit(bytes: number): Promise<() => void> {
    const weight = Math.min(bytes, this.limits.bytesInFlight);
    if (this.queue.length === 0 && this.fits(weight)) return this.take(weight);
    if (this.queue.length >= this.limits.waiting) {
      throw serverBusy(`${this.queue.length} uploads are already waiting to be checked: send this one again in a few seconds`, this.limits.retryAfterSeconds);
    }
    return new Promise((admitted, refused) => {
      const waiter: Waiter = {
        weight,
        admit: () => {
          clearTimeout(timer);
          admitted(this.take(weight));
        },
      };
      const timer = setTimeout(() => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        this.admitWaiting(); // the next in line may fit where this one did not
        refused(serverBusy(`the upload waited ${this.limits.waitMs / 1000} s for the uploads before it to be checked: send it again in a few seconds`, this.limits.retryAfterSeconds));
      }, this.limits.waitMs);
      this.queue.push(waiter);
    });
  }

  private fits(weight: number): boolean {
    return this.inFlight + weight <= this.limits.bytesInFlight;
  }

  private take(weight: number): () => void {
    this.inFlight += weight;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= weight;
      this.admitWaiting();
    };
  }

  /** Admits waiting uploads in arrival order while the first one fits. */
  private admitWaiting(): void {
    while (this.queue.length > 0 && this.fits(this.queue[0]!.weight)) this.queue.shift()!.admit();
  }
}

/** What an upload weighs before its body is read: its `content-length`, or for a chunked body the largest allowed. */
export function declaredUploadBytes(request: IncomingMessage, maxUploadBytes: number): number {
  const declared = Number(request.headers['content-length']);
  return Number.isFinite(declared) && declared >= 0 ? declared : maxUploadBytes;
}
