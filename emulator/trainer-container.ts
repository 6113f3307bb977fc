import type { Logger } from '@aws-lambda-powertools/logger';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrainerImage } from './trainer-image.js';

const localhostDns = fileURLToPath(new URL('./bundle-runtime/localhost-dns.mjs', import.meta.url));

/**
 * The Fargate service, locally: the image's command (its Dockerfile CMD, in the build context `cdk synth` staged)
 * in its own process with the task definition's environment; started again whenever it exits, as the service scales
 * from zero, until `signal` stops it with SIGTERM (the trainer checkpoints first, as on ECS).
 *
 * @example
 * const stopped = runTrainerContainer({ image: await prepareTrainerImage(assembly.trainerImage), environment, signal, log });
 */
export async function runTrainerContainer(options: { image: TrainerImage; environment: Record<string, string>; signal: AbortSignal; log: Logger }): Promise<void> {
  while (!options.signal.aborted) {
    const code = await runOnce(options.image, options.environment, options.signal);
    if (options.signal.aborted) return;
    // A task that crashed is replaced by the service; here after a pause, so a crash loop does not spin.
    if (code !== 0) options.log.error('trainer container exited; starting another', { code });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function runOnce(image: TrainerImage, environment: Record<string, string>, signal: AbortSignal): Promise<number | null> {
  const [program, ...args] = image.command;
  // `node` is this Node; the resolver for the emulated queue's `.localhost` host goes in before the program.
  const [executable, argv] = program === 'node' ? [process.execPath, ['--import', localhostDns, ...args]] : [program!, args];
  const child = spawn(executable, argv, {
    cwd: image.appDir,
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
