import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
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
  /** The holder's process, so a trainer on the same host sees at once that a killed holder is gone (leases written before have none). */
  pid: z.number().int().positive().optional(),
  host: z.string().optional(),
});
type LeaseRecord = z.infer<typeof leaseSchema>;

/** Which process holds a lease: its id and the host it runs on. */
export interface LeaseProcess {
  pid: number;
  host: string;
}

export interface LeaseOptions {
  /** How long the lease outlives its last renewal. */
  ttlSeconds: number;
  /** When the run that takes the lease should end (its budget), for those who back off. */
  expectedEndAt: Date;
  now?: () => number;
  /** This trainer's process (default: this one). */
  process?: LeaseProcess;
  /** Whether a process of this host still runs (default: `process.kill(pid, 0)`). */
  processAlive?: (pid: number) => boolean;
}

/** A held lease: renew it while training, release it when done. */
export interface TrainerLease {
  readonly holder: string;
  /** Extends the lease; resolves false when another trainer took it over (this one was presumed dead). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/** Another trainer holds the lease: back off until `retryAfterSeconds` have passed; `message` says who and until when. */
export interface LeaseBusy {
  holder: string;
  retryAfterSeconds: number;
  /** When the lease ends unless its holder renews it (ISO time); absent when the lease was unreadable in a race. */
  expiresAt?: string;
  message: string;
}

const minimumBackOffSeconds = 30;
/** SQS cannot hide a message longer than 12 hours. */
const maximumBackOffSeconds = 12 * 3600;

/**
 * Takes the bucket's trainer lease (`checkpoints/trainer-lease.json`) with compare-and-swap: free, expired,
 * unreadable, or held by a process of this host that is gone (killed: it cannot renew, and waiting for the expiry
 * would block training for minutes) → taken; held by a live trainer → {@link LeaseBusy} with how long to wait (until
 * that trainer's run should be over). Two trainers on one bucket thus take turns instead of deleting each other's
 * checkpoints.
 *
 * @example
 * const lease = await acquireTrainerLease(store, { ttlSeconds: 300, expectedEndAt: new Date(Date.now() + 30 * 60_000) });
 * if ('retryAfterSeconds' in lease) return back off; else try { train } finally { await lease.release(); }
 */
export async function acquireTrainerLease(store: Store, options: LeaseOptions): Promise<TrainerLease | LeaseBusy> {
  const now = options.now ?? Date.now;
  const self = options.process ?? { pid: process.pid, host: hostname() };
  const holder = randomUUID();
  const existing = await store.getVersioned(keys.trainerLease);
  const current = existing ? parseLease(existing.bytes) : undefined;
  if (current && Date.parse(current.expiresAt) > now() && !holderGone(current, self.host, options.processAlive ?? processAlive)) {
    return busy(current, now());
  }
  const record = (): LeaseRecord => ({
    schemaVersion: 1,
    holder,
    acquiredAt: new Date(now()).toISOString(),
    expiresAt: new Date(now() + options.ttlSeconds * 1000).toISOString(),
    expectedEndAt: options.expectedEndAt.toISOString(),
    pid: self.pid,
    host: self.host,
  });
  let etag = await write(store, record(), existing ? { ifMatch: existing.etag } : { ifAbsent: true });
  if (etag === undefined) {
    // Another trainer took it between our read and write: it is the live one.
    const winner = await store.getVersioned(keys.trainerLease);
    const parsed = winner ? parseLease(winner.bytes) : undefined;
    return parsed ? busy(parsed, now()) : { holder: 'unknown', retryAfterSeconds: minimumBackOffSeconds, message: `another trainer took the trainer lease; try again in ${minimumBackOffSeconds} s` };
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

/**
 * Writes the lease under a condition; resolves the ETag of the bytes written (not read back: a rival's write in between
 * would be taken for ours), or undefined when the condition failed.
 */
function write(store: Store, record: LeaseRecord, condition: { ifMatch: string } | { ifAbsent: true }): Promise<string | undefined> {
  const bytes = new TextEncoder().encode(JSON.stringify(record, null, 2));
  return store.put(keys.trainerLease, bytes, { contentType: 'application/json', ...condition });
}

/** A holder on this host whose process has ended (`kill -9`, a crash) will never renew. */
function holderGone(lease: LeaseRecord, host: string, alive: (pid: number) => boolean): boolean {
  return lease.host === host && lease.pid !== undefined && !alive(lease.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
  const retryAfterSeconds = Math.min(maximumBackOffSeconds, Math.max(minimumBackOffSeconds, seconds));
  const where = lease.pid !== undefined ? ` (process ${lease.pid} on ${lease.host})` : '';
  const message =
    `another trainer${where} holds the trainer lease until ${lease.expiresAt} unless it renews it; ` +
    `its run should end by ${lease.expectedEndAt}; try again in ${retryAfterSeconds} s`;
  return { holder: lease.holder, retryAfterSeconds, expiresAt: lease.expiresAt, message };
}
