import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultServerTimeouts } from '../../../src/local/server-timeouts.js';
import { declaredUploadBytes, UploadAdmission, uploadAdmissionLimits } from '../../../src/local/upload-admission.js';

const mebibyte = 1024 * 1024;
const limits = { bytesInFlight: 10 * mebibyte, waiting: 2, waitMs: 20_000, retryAfterSeconds: 5 };

/** Whether `promise` has settled after the queued microtasks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('UploadAdmission', () => {
  let admission: UploadAdmission;
  beforeEach(() => {
    vi.useFakeTimers();
    admission = new UploadAdmission(limits);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('admits small uploads side by side while their bytes fit', async () => {
    const releases = await Promise.all(Array.from({ length: 10 }, () => admission.admit(mebibyte)));

    expect(releases).toHaveLength(10);
  });

  it('makes a large upload wait until the bytes before it are released, then admits it', async () => {
    const first = await admission.admit(5 * mebibyte);
    await admission.admit(5 * mebibyte);
    const third = admission.admit(5 * mebibyte);
    expect(await settled(third)).toBe(false);

    first();

    expect(await settled(third)).toBe(true);
  });

  it('admits in arrival order: a small upload does not pass a large one waiting before it', async () => {
    const first = await admission.admit(8 * mebibyte);
    const large = admission.admit(8 * mebibyte);
    const small = admission.admit(mebibyte);
    expect([await settled(large), await settled(small)]).toEqual([false, false]);

    first();

    expect([await settled(large), await settled(small)]).toEqual([true, true]);
  });

  it('refuses at once with 503 busy and Retry-After when the queue is full', async () => {
    await admission.admit(10 * mebibyte);
    admission.admit(mebibyte).catch(() => {});
    admission.admit(mebibyte).catch(() => {});

    await expect(admission.admit(mebibyte)).rejects.toMatchObject({ code: 'busy', status: 503, retryAfterSeconds: 5 });
  });

  it('refuses a waiting upload with 503 once it has waited waitMs, and frees its place in the queue', async () => {
    await admission.admit(10 * mebibyte);
    const waiting = admission.admit(mebibyte);
    const refusal = expect(waiting).rejects.toMatchObject({ code: 'busy', status: 503, retryAfterSeconds: 5 });
    await vi.advanceTimersByTimeAsync(limits.waitMs / 2);
    const later = admission.admit(mebibyte);

    await vi.advanceTimersByTimeAsync(limits.waitMs / 2);

    await refusal;
    expect(await settled(later)).toBe(false);
    expect(await settled(admission.admit(mebibyte))).toBe(false); // queued behind `later`, not refused: a place was freed
    later.catch(() => {}); // refused in its turn when the fake clock is dropped
  });

  it('counts a body larger than the whole budget as the budget: it runs alone', async () => {
    const huge = await admission.admit(50 * mebibyte);
    const next = admission.admit(1);
    expect(await settled(next)).toBe(false);

    huge();
    huge(); // a second release gives nothing back twice

    expect(await settled(next)).toBe(true);
    expect(await settled(admission.admit(10 * mebibyte - 1))).toBe(true);
    expect(await settled(admission.admit(1))).toBe(false);
  });
});

describe('declaredUploadBytes', () => {
  const request = (headers: Record<string, string>) => ({ headers }) as never;

  it('weighs an upload by its content-length, and a chunked one as the largest allowed', () => {
    expect(declaredUploadBytes(request({ 'content-length': '12345' }), 5 * mebibyte)).toBe(12345);
    expect(declaredUploadBytes(request({ 'transfer-encoding': 'chunked' }), 5 * mebibyte)).toBe(5 * mebibyte);
  });
});

describe('uploadAdmissionLimits', () => {
  it('lets one of the largest uploads in at a time and a few wait, for less than a request may take', () => {
    const { waitMs, ...limits } = uploadAdmissionLimits(5 * mebibyte);

    expect(limits).toEqual({ bytesInFlight: 5 * mebibyte, waiting: 4, retryAfterSeconds: 5 });
    // Node's own request timeout must never cut an upload that waited its turn and then sent its body in time.
    expect(waitMs + defaultServerTimeouts.uploadBodyMs).toBeLessThan(defaultServerTimeouts.requestMs);
  });
});
