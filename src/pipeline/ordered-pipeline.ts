/** A started item's end, kept as a value so a failure waits for its turn instead of going unhandled. */
type Ended<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * A bounded, ordered pipeline: `start` runs for up to `inFlight` items ahead of the one being consumed (in any order
 * they like), and `consume` gets the results one at a time in input order. The first failure, of a start or a
 * consume, stops the pipeline and is thrown once its turn comes; items already started run out on their own.
 *
 * @example
 * await forEachInOrder(files, 32, (file) => pool.tokenize(read(file)), async (result, file) => report(file, result));
 */
export async function forEachInOrder<T, R>(
  items: readonly T[],
  inFlight: number,
  start: (item: T, index: number) => Promise<R>,
  consume: (result: R, item: T, index: number) => Promise<void>,
): Promise<void> {
  const started: Array<Promise<Ended<R>>> = [];
  let next = 0;
  const fill = () => {
    for (; next < items.length && started.length < inFlight; next++) {
      started.push(
        start(items[next]!, next).then(
          (value): Ended<R> => ({ ok: true, value }),
          (error: unknown): Ended<R> => ({ ok: false, error }),
        ),
      );
    }
  };
  fill();
  for (let index = 0; started.length > 0; index++) {
    const ended = await started.shift()!;
    fill();
    if (!ended.ok) throw ended.error;
    await consume(ended.value, items[index]!, index);
  }
}
