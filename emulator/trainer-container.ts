import type { Logger } from '@aws-lambda-powertools/logger';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const localhostDns = fileURLToPath(new URL('./bundle-runtime/localhost-dns.mjs', import.meta.url));

/**
 * The image's command (`functions/trainer/Dockerfile`: `node --import tsx functions/trainer/main.ts`, over the
 * worker bundles `npm run build` made) in its own process with the task definition's environment; started again
 * whenever it exits, as the Fargate service scales from zero, until `signal` stops it with SIGTERM (the trainer
 * checkpoints first, as on ECS).
 *
 * @example
 * const stopped = runTrainerContainer({ environment, signal, log });
 */
export async function runTrainerContainer(options: { environment: Record<string, string>; signal: AbortSignal; log: Logger }): Promise<void> {
  while (!options.signal.aborted) {
    const code = await runOnce(options.environment, options.signal);
    if (options.signal.aborted) return;
    // A task that crashed is replaced by the service; here after a pause, so a crash loop does not spin.
    if (code !== 0) options.log.error('trainer container exited; starting another', { code });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function runOnce(environment: Record<string, string>, signal: AbortSignal): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', localhostDns, 'functions/trainer/main.ts'], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', ...environment },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () => child.kill('SIGTERM');
  signal.addEventListener('abort', stop, { once: true });
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      signal.removeEventListener('abort', stop);
      resolve(code);
    });
  });
}
