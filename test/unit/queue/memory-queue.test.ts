import { describe, expect, it } from 'vitest';
import { MemoryQueue, MessageNotInFlightError } from '../../../src/queue/memory-queue.js';

describe('MemoryQueue', () => {
  it('hides a received message until its visibility ends, then delivers it again with a higher count', async () => {
    const queue = new MemoryQueue({ visibilitySeconds: 0.05 });
    await queue.send('a');

    const [first] = await queue.receive();
    const whileHidden = await queue.receive();
    await new Promise((resolve) => setTimeout(resolve, 70));
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
    const queue = new MemoryQueue({ visibilitySeconds: 0.05 });
    await queue.send('a');
    const [message] = await queue.receive();

    await queue.extend(message!, 30);
    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(await queue.receive()).toEqual([]);
    await queue.extend(message!, 0);
    expect(await queue.receive()).toHaveLength(1);
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
    const queue = new MemoryQueue();
    const started = Date.now();
    const polled = queue.receive({ waitSeconds: 5 });
    setTimeout(() => void queue.send('late'), 30);

    const [message] = await polled;

    expect(message!.body).toBe('late');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('ends an empty long poll after waitSeconds and returns at most maxMessages', async () => {
    const queue = new MemoryQueue();
    const started = Date.now();
    expect(await queue.receive({ waitSeconds: 0.1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);

    for (const body of ['a', 'b', 'c']) await queue.send(body);
    expect((await queue.receive({ maxMessages: 2 })).map((message) => message.body)).toEqual(['a', 'b']);
  });
});
