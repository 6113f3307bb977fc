import { describe, expect, it } from 'vitest';
import type { TokenizeReply, TokenizeRequest, TokenizeWorkerSetup } from '../../../src/dataset/tokenize-pool.js';
import { parameterCount } from '../../../src/model/config.js';
import type { Batch, BatchResult } from '../../../src/model/engine/engine.js';
import type { WorkerRequest, WorkerSetup } from '../../../src/model/engine/engine-worker.js';
import { WorkerPool } from '../../../src/workers/worker-pool.js';
import { WorkerPoolError } from '../../../src/workers/worker-errors.js';
import { scaleMidi } from '../../support/tiny-midi.js';
import { randomBatch, smallShape } from '../model/engine/engine-fixtures.js';

// The pool is exercised through a real entry, the tokenize worker: real bundle, real threads.
const setup: TokenizeWorkerSetup = { tokenizer: 'performance' };
const start = (size: number) => WorkerPool.start<TokenizeRequest, TokenizeReply>({ entry: 'tokenize', size, workerData: () => setup });

describe('WorkerPool (real worker threads running the tokenize bundle)', () => {
  it('answers requests on the chosen worker and spreads the rest by requests in flight', async () => {
    const pool = await start(2);
    try {
      const first = pool.request({ bytes: scaleMidi(16, 0), source: 'a.mid' }, { worker: 0 });
      const busy = pool.leastBusy();
      const replies = await Promise.all([first, pool.request({ bytes: scaleMidi(16, 1), source: 'b.mid' })]);

      expect(busy).toBe(1);
      expect(replies.map((reply) => reply.result.ok)).toEqual([true, true]);
    } finally {
      await pool.close();
    }
  });

  it('weighs requests in flight by their cost when one is given', async () => {
    const pool = await start(2);
    try {
      const heavy = pool.request({ bytes: scaleMidi(16, 0), source: 'a.mid' }, { worker: 0, cost: 100 });
      const light = [1, 2].map((seed) => pool.request({ bytes: scaleMidi(16, seed), source: 'b.mid' }, { worker: 1, cost: 10 }));
      const busy = pool.leastBusy();
      await Promise.all([heavy, ...light]);

      expect(busy).toBe(1); // two requests weighing 20 against one weighing 100
      expect(pool.leastBusy()).toBe(0); // nothing in flight: the first
    } finally {
      await pool.close();
    }
  });

  it('rejects a request that throws in the worker with a request failure, and keeps serving (engine bundle)', async () => {
    const size = parameterCount(smallShape) * 4;
    const pool = await WorkerPool.start<WorkerRequest, BatchResult>({
      entry: 'engine',
      size: 1,
      workerData: (): WorkerSetup => ({ shape: smallShape, parameters: new SharedArrayBuffer(size), gradients: new SharedArrayBuffer(size) }),
    });
    try {
      const failed = await pool.request({ withGradients: false, batch: null as unknown as Batch }).catch((error: unknown) => error);
      const next = await pool.request({ withGradients: false, batch: randomBatch(smallShape, 2, 3, 5, false) });

      expect(failed).toBeInstanceOf(WorkerPoolError);
      expect(failed).toMatchObject({ kind: 'request', message: expect.stringContaining('TypeError') });
      expect(next.count).toBe(6);
    } finally {
      await pool.close();
    }
  });

  it('maps failures through toError and refuses requests after close', async () => {
    const pool = await WorkerPool.start<TokenizeRequest, TokenizeReply>({
      entry: 'tokenize',
      size: 1,
      workerData: () => setup,
      toError: (failure) => new RangeError(`${failure.kind}: ${failure.message}`),
    });
    await pool.close();

    await expect(pool.request({ bytes: scaleMidi(8, 0), source: 'late.mid' })).rejects.toThrow(RangeError);
  });

  it('fails to start, naming the cause, when a worker cannot set up (bad workerData)', async () => {
    const starting = WorkerPool.start({ entry: 'engine', size: 2, workerData: () => ({ shape: null }) });

    await expect(starting).rejects.toMatchObject({ name: 'WorkerPoolError', kind: 'start', message: expect.stringContaining('fast engine failed to start') });
  });
});
