import { describe, expect, it } from 'vitest';
import { forEachInOrder } from '../../../src/pipeline/ordered-pipeline.js';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('forEachInOrder', () => {
  it('consumes in input order whatever order the starts end in, with at most inFlight started ahead', async () => {
    let running = 0;
    let most = 0;
    const consumed: number[] = [];

    await forEachInOrder([30, 5, 20, 1, 10, 2], 3, async (ms) => {
      most = Math.max(most, ++running);
      await sleep(ms);
      running--;
      return ms;
    }, async (ms) => void consumed.push(ms));

    expect(consumed).toEqual([30, 5, 20, 1, 10, 2]);
    expect(most).toBe(3);
  });

  it('throws a failed start when its turn comes, after the items before it were consumed', async () => {
    const consumed: number[] = [];

    const failure = forEachInOrder([1, 2, 3, 4], 4, async (item) => {
      if (item === 3) throw new Error('item 3 failed');
      await sleep(5);
      return item;
    }, async (item) => void consumed.push(item));

    await expect(failure).rejects.toThrow('item 3 failed');
    expect(consumed).toEqual([1, 2]);
  });
});
