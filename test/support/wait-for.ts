/**
 * Polls `probe` until it gives a value, for something a server does in its own time (an upload processed, a model
 * published); throws after `seconds`.
 *
 * @example const entry = await waitFor(() => storedJson(store, key, datasetEntryMetaSchema), 30);
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, seconds: number, everyMs = 250): Promise<T> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`not there after ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
