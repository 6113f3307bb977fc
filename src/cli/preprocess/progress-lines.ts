import cliProgress from 'cli-progress';

/** Per-file progress: a bar on a terminal, a plain line every tenth of the files otherwise (logs, CI). */
export function fileProgress(label: string): { update(done: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) {
    let lastTenth = 0;
    return {
      update(done, total) {
        const tenth = Math.floor((done * 10) / total);
        if (tenth > lastTenth || done === total) console.log(`${label}: ${done}/${total} files`);
        lastTenth = tenth;
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} |{bar}| {percentage}% | {value}/{total} files | ETA {eta_formatted}`, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0), (started = true);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
