import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingBusyError, TrainingSupervisor } from '../../src/local/training-supervisor.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import type { Queue } from '../../src/queue/queue.js';
import { temporaryStore } from '../../fixtures/model-fixtures.js';
import { tinyTrainOverrides } from '../support/local-server.js';
import { uploadScales } from '../support/tiny-trainer.js';

/** A queue whose sends take a while, as a busy disk or a remote queue would: the window two starts race in. */
function slowQueue(queue: Queue): Queue {
  return Object.assign(Object.create(queue) as Queue, {
    send: async (body: string) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return queue.send(body);
    },
  });
}

describe('TrainingSupervisor (training worker threads)', () => {
  const store = temporaryStore();
  const queue = new MemoryQueue();
  let training: TrainingSupervisor;

  beforeAll(async () => {
    await uploadScales(store, queue, 3);
    training = new TrainingSupervisor(store, slowQueue(queue), store.root, 'performance', tinyTrainOverrides);
  }, 60_000);
  afterAll(() => training?.shutdown());

  it('two starts at once: one run starts, the other is refused as starting; Stop reaches the run that trains', async () => {
    const starts = await Promise.allSettled([training.start({ minutes: 1 }), training.start({ minutes: 1 })]);

    expect(starts.map((start) => start.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = (starts.find((start) => start.status === 'rejected') as PromiseRejectedResult).reason;
    expect(refusal).toBeInstanceOf(TrainingBusyError);
    expect(refusal).toMatchObject({ code: 'training-starting', message: 'a training run is starting' });
    const { runId } = (starts.find((start) => start.status === 'fulfilled') as PromiseFulfilledResult<{ runId: string }>).value;
    expect(training.getStatus()).toMatchObject({ state: 'running', runId });

    expect(await training.stop()).toMatchObject({ state: 'idle', last: { runId, state: 'stopped' } });
  }, 60_000);
});
