import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store/store.js';
import { keys } from './keys.js';

const leaseSchema = z.object({
  schemaVersion: z.literal(1),
  holder: z.string(),
  acquiredAt: z.string(),
  /** A holder that stops renewing (crashed) loses the lease at this time. */
  expiresAt: z.string(),
  /** When the holder's run should be over: how long another trainer backs off. */
  expectedEndAt: z.string(),
});
type LeaseRecord = z.infer<typeof leaseSchema>;

export interface LeaseOptions {
  /** How long the lease outlives its last renewal. */
  ttlSeconds: number;
  /** When the run that takes the lease should end (its budget), for those who back off. */
  expectedEndAt: Date;
  now?: () => number;
}

/** A held lease: renew it while training, release it when done. */
export interface TrainerLease {
  readonly holder: string;
  /** Extends the lease; resolves false when another trainer took it over (this one was presumed dead). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/** Another trainer holds the lease: back off until `retryAfterSeconds` have passed. */
export interface LeaseBusy {
  holder: string;
  retryAfterSeconds: number;
}

const minimumBackOffSeconds = 30;
/** SQS cannot hide a message longer than 12 hours. */
const maximumBackOffSeconds = 12 * 3600;

/**
 * Takes the bucket's trainer lease (`checkpoints/trainer-lease.json`) with compare-and-swap: free, expired or
 * unreadable → taken; held by a live trainer → {@link LeaseBusy} with how long to wait (until that trainer's run
 * should be over). Two trainers on one bucket thus take turns instead of deleting each other's checkpoints.
 *
 * @example
 * const lease = await acquireTrainerLease(store, { ttlSeconds: 300, expectedEndAt: new Date(Date.now() + 30 * 60_000) });
 * if ('retryAfterSeconds' in lease) return back off; else try { train } finally { await lease.release(); }
 */
export async function acquireTrainerLease(store: Store, options: LeaseOptions): Promise<TrainerLease | LeaseBusy> {
  const now = options.now ?? Date.now;
  const holder = randomUUID();
  const existing = await store.getVersioned(keys.trainerLease);
  const current = existing ? parseLease(existing.bytes) : undefined;
  if (current && Date.parse(current.expiresAt) > now()) return busy(current, now());
  const record = (): LeaseRecord => ({
    schemaVersion: 1,
    holder,
    acquiredAt: new Date(now()).toISOString(),
    expiresAt: new Date(now() + options.ttlSeconds * 1000).toISOString(),
    expectedEndAt: options.expectedEndAt.toISOString(),
  });
  let etag = await write(store, record(), existing ? { ifMatch: existing.etag } : { ifAbsent: true });
  if (etag === undefined) {
    // Another trainer took it between our read and write: it is the live one.
    const winner = await store.getVersioned(keys.trainerLease);
    const parsed = winner ? parseLease(winner.bytes) : undefined;
    return parsed ? busy(parsed, now()) : { holder: 'unknown', retryAfterSeconds: minimumBackOffSeconds };
  }
  return {
    holder,
    async renew() {
      const next = await write(store, record(), { ifMatch: etag! });
      if (next === undefined) return false;
      etag = next;
      return true;
    },
    async release() {
      const mine = await store.getVersioned(keys.trainerLease);
      if (mine && mine.etag === etag) await store.delete(keys.trainerLease);
    },
  };
}

/** Writes the lease under a condition; resolves its new ETag, or undefined when the condition failed. */
async function write(store: Store, record: LeaseRecord, condition: { ifMatch: string } | { ifAbsent: true }): Promise<string | undefined> {
  const bytes = new TextEncoder().encode(JSON.stringify(record, null, 2));
  if (!(await store.put(keys.trainerLease, bytes, { contentType: 'application/json', ...condition }))) return undefined;
  return (await store.getVersioned(keys.trainerLease))?.etag;
}

function parseLease(bytes: Uint8Array): LeaseRecord | undefined {
  try {
    const parsed = leaseSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function busy(lease: LeaseRecord, now: number): LeaseBusy {
  const until = Math.max(Date.parse(lease.expiresAt), Date.parse(lease.expectedEndAt));
  const seconds = Math.ceil((until - now) / 1000);
  return { holder: lease.holder, retryAfterSeconds: Math.min(maximumBackOffSeconds, Math.max(minimumBackOffSeconds, seconds)) };
}
