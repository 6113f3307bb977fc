/** The signals that ask a long-running program to stop: Ctrl-C, and `kill` or ECS stopping a task. */
const stopSignals = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof stopSignals)[number];

/**
 * The one handling of SIGINT and SIGTERM for every long-running program (the server, the emulator, `rubato train`, the
 * trainer container): `stop` runs once, on the first of them; later signals are ignored while the program winds down,
 * so a second Ctrl-C cannot cut a checkpoint in half. Returns the function that removes the handlers.
 *
 * @example
 * const controller = new AbortController();
 * onStopSignal((signal) => { log.info('stopping', { signal }); controller.abort(); });
 */
export function onStopSignal(stop: (signal: StopSignal) => void): () => void {
  let stopping = false;
  const handlers = stopSignals.map((signal) => {
    const handler = () => {
      if (stopping) return;
      stopping = true;
      stop(signal);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}

/**
 * On the first SIGINT or SIGTERM, closes what a long-running command started (a running training checkpoints first)
 * and exits 0, or 1 when closing fails.
 *
 * @example stopOnSignals(() => server.close());
 */
export function stopOnSignals(close: () => Promise<void>): void {
  onStopSignal((signal) => {
    console.log(`[rubato] ${signal}: stopping (a running training saves a checkpoint first)`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
