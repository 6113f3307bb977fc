import { describe, expect, it } from 'vitest';
import { keys } from '../../../src/pipeline/keys.js';
import { acquireTrainerLease, type LeaseOptions, type TrainerLease } from '../../../src/pipeline/trainer-lease.js';
import type { Store } from '../../../src/store/store.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

const start = Date.parse('2026-12-05T12:00:00Z');
const here = { pid: 4242, host: 'laptop' };

/** A clock moved by hand, and lease options on it: a 60 s lease for a run that should end in 10 minutes. */
function clock() {
  let now = start;
  const options = (overrides: Partial<LeaseOptions> = {}): LeaseOptions => ({
    ttlSeconds: 60,
    expectedEndAt: new Date(start + 600_000),
    now: () => now,
    process: here,
    processAlive: () => true,
    ...overrides,
  });
  return { options, advance: (seconds: number) => (now += seconds * 1000) };
}

const held = (lease: Awaited<ReturnType<typeof acquireTrainerLease>>): TrainerLease => {
  if (!('renew' in lease)) throw new Error(`expected to hold the lease: ${lease.message}`);
  return lease;
};

describe('acquireTrainerLease', () => {
  it('expiry: a live holder makes others back off, saying until when; once it stops renewing past the expiry the lease is taken', async () => {
    const store = temporaryStore();
    const time = clock();
    const first = held(await acquireTrainerLease(store, time.options()));

    time.advance(30);
    const refused = await acquireTrainerLease(store, time.options({ process: { pid: 5000, host: 'laptop' } }));
    time.advance(31);
    const second = held(await acquireTrainerLease(store, time.options({ process: { pid: 5000, host: 'laptop' } })));

    expect(refused).toMatchObject({ expiresAt: '2026-12-05T12:01:00.000Z', retryAfterSeconds: 570 });
    expect(refused).toHaveProperty('message', expect.stringMatching(/\(process 4242 on laptop\) holds the trainer lease until 2026-12-05T12:01:00.000Z .* try again in 570 s/));
    expect(await first.renew()).toBe(false);
    expect(await second.renew()).toBe(true);
  });

  it('takes over at once a lease whose holder process on this host is gone (kill -9), not one held on another host', async () => {
    const store = temporaryStore();
    const time = clock();
    held(await acquireTrainerLease(store, time.options()));
    const gone = (pid: number) => pid !== here.pid;

    const elsewhere = await acquireTrainerLease(store, time.options({ process: { pid: 5000, host: 'other-host' }, processAlive: gone }));
    const sameHost = await acquireTrainerLease(store, time.options({ process: { pid: 5000, host: 'laptop' }, processAlive: gone }));

    expect(elsewhere).toHaveProperty('retryAfterSeconds');
    expect('renew' in sameHost).toBe(true);
  });

  it('takeover: a rival that rewrites the lease right after a renewal is noticed at the next renewal (the ETag is the one written, not re-read)', async () => {
    const store = temporaryStore();
    const time = clock();
    let rivalWrites = false;
    const racing: Store = Object.assign(Object.create(store) as Store, {
      put: async (key: string, body: Uint8Array, options?: object) => {
        const etag = await store.put(key, body, options);
        if (rivalWrites && key === keys.trainerLease) {
          rivalWrites = false;
          await store.put(key, new TextEncoder().encode(JSON.stringify({ schemaVersion: 1, holder: 'rival', acquiredAt: '', expiresAt: '2099-01-01T00:00:00Z', expectedEndAt: '2099-01-01T00:00:00Z' })));
        }
        return etag;
      },
    });
    const lease = held(await acquireTrainerLease(racing, time.options()));

    rivalWrites = true;
    expect(await lease.renew()).toBe(true);
    expect(await lease.renew()).toBe(false);
    await lease.release();

    expect(new TextDecoder().decode(await store.get(keys.trainerLease))).toContain('"rival"');
  });
});
