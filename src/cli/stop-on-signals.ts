/**
 * On the first SIGINT or SIGTERM, closes what a long-running command started (a running training checkpoints first)
 * and exits 0, or 1 when closing fails; later signals are ignored while it closes.
 *
 * @example stopOnSignals(() => server.close());
 */
export function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[rubato] ${signal}: stopping (a running training saves a checkpoint first)`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
