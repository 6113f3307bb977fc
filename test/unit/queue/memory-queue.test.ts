import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryQueue, MessageNotInFlightError } from '../../../src/queue/memory-queue.js';

/** A clock the test moves by hand, so visibility timeouts pass without sleeping. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 0;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('MemoryQueue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hides a received message until its visibility ends, then delivers it again with a higher count', async () => {
    const clock = manualClock();
    const queue = new MemoryQueue({ visibilitySeconds: 0.05, now: clock.now });
    await queue.send('a');

    const [first] = await queue.receive();
    clock.advance(49);
    const whileHidden = await queue.receive();
    clock.advance(1);
    const [again] = await queue.receive();

    expect(first).toMatchObject({ body: 'a', receiveCount: 1 });
    expect(whileHidden).toEqual([]);
    expect(again).toMatchObject({ id: first!.id, body: 'a', receiveCount: 2 });
    expect(again!.receipt).not.toBe(first!.receipt);
  });

  it('deletes on ack, and ignores an ack with an outdated receipt', async () => {
    const queue = new MemoryQueue({ visibilitySeconds: 0 });
    await queue.send('a');
    const [old] = await queue.receive();
    const [current] = await queue.receive({ visibilitySeconds: 30 });

    await queue.ack(old!);
    expect(queue.size).toBe(1);
    await queue.ack(current!);
    expect(queue.size).toBe(0);
  });

  it('extends the visibility of a message in flight; extend to 0 releases it at once', async () => {
    const clock = manualClock();
    const queue = new MemoryQueue({ visibilitySeconds: 0.05, now: clock.now });
    await queue.send('a');
    const [message] = await queue.receive();

    await queue.extend(message!, 30);
    clock.advance(29_999);
    expect(await queue.receive()).toEqual([]);
    await queue.extend(message!, 0);
    expect(await queue.receive()).toHaveLength(1);
    await expect(queue.extend(message!, 10)).rejects.toThrow(MessageNotInFlightError);
  });

  it('refuses to extend a message whose visibility has run out', async () => {
    const clock = manualClock();
    const queue = new MemoryQueue({ visibilitySeconds: 1, now: clock.now });
    await queue.send('a');
    const [message] = await queue.receive();

    clock.advance(1000);

    await expect(queue.extend(message!, 10)).rejects.toThrow(MessageNotInFlightError);
  });

  it('moves a message to the dead letters when a receive would exceed maxReceives, like an SQS redrive policy', async () => {
    const queue = new MemoryQueue({ visibilitySeconds: 0, maxReceives: 3 });
    await queue.send('poison');

    const counts: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) counts.push(...(await queue.receive()).map((message) => message.receiveCount));

    expect(counts).toEqual([1, 2, 3]);
    expect(queue.deadLetters).toEqual(['poison']);
    expect(queue.size).toBe(0);
  });

  it('wakes a long poll on send instead of waiting out the poll', async () => {
    vi.useFakeTimers();
    const queue = new MemoryQueue();
    const polled = queue.receive({ waitSeconds: 5 });

    await queue.send('late');
    const [message] = await polled;

    expect(message!.body).toBe('late');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('wakes a long poll when a hidden message becomes visible before the poll ends', async () => {
    vi.useFakeTimers();
    const queue = new MemoryQueue({ visibilitySeconds: 1 });
    await queue.send('a');
    await queue.receive();
    let delivered: unknown[] | undefined;
    void queue.receive({ waitSeconds: 5 }).then((messages) => (delivered = messages));

    await vi.advanceTimersByTimeAsync(999);
    expect(delivered).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);

    expect(delivered).toEqual([expect.objectContaining({ body: 'a', receiveCount: 2 })]);
  });

  it('ends an empty long poll after waitSeconds and returns at most maxMessages', async () => {
    vi.useFakeTimers();
    const queue = new MemoryQueue();
    let ended = false;
    const polled = queue.receive({ waitSeconds: 0.1 }).finally(() => (ended = true));

    await vi.advanceTimersByTimeAsync(99);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await polled).toEqual([]);

    for (const body of ['a', 'b', 'c']) await queue.send(body);
    expect((await queue.receive({ maxMessages: 2 })).map((message) => message.body)).toEqual(['a', 'b']);
  });
});
