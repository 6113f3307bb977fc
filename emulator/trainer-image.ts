import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed packages stand in for the image's `npm ci` layer (no registry, no Docker here). */
const installedModules = fileURLToPath(new URL('../node_modules', import.meta.url));

/** The trainer image cannot be put together from the staged build context: a build step failed or the Dockerfile has no CMD. */
export class TrainerImageError extends Error {
  override name = 'TrainerImageError';
}

/** A build context made runnable: where the image's files are, and its command. */
export interface TrainerImage {
  appDir: string;
  /** The Dockerfile's CMD (exec form), e.g. `['node', '--import', 'tsx', 'functions/trainer/main.ts']`. */
  command: string[];
  remove(): void;
}

/**
 * The trainer image without Docker: the build context `cdk synth` staged is copied to a temporary folder outside the
 * repository (so it runs only what the image would hold), given the installed packages as its `node_modules`, and
 * built by the Dockerfile's own `npm run build` (the worker bundles); its CMD is returned to run.
 *
 * @example
 * const image = await prepareTrainerImage(assembly.trainerImage);
 * spawn(image.command[0], image.command.slice(1), { cwd: image.appDir });
 */
export async function prepareTrainerImage(source: { directory: string; dockerFile: string }): Promise<TrainerImage> {
  const root = mkdtempSync(join(tmpdir(), 'rubato-trainer-image-'));
  const appDir = join(root, 'app');
  try {
    cpSync(source.directory, appDir, { recursive: true });
    symlinkSync(installedModules, join(appDir, 'node_modules'), 'dir');
    const command = dockerfileCommand(readFileSync(join(appDir, source.dockerFile), 'utf8'));
    await runBuildStep(appDir);
    return { appDir, command, remove: () => rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** The last `CMD [...]` of a Dockerfile, in exec form. */
export function dockerfileCommand(dockerfile: string): string[] {
  const line = dockerfile.split('\n').filter((text) => /^CMD\s+\[/.test(text.trim())).at(-1);
  if (!line) throw new TrainerImageError('the trainer Dockerfile has no exec-form CMD ["node", …]');
  return JSON.parse(line.trim().slice('CMD'.length)) as string[];
}

/** The Dockerfile's `RUN npm run build`: the worker bundles the image starts its workers from. */
function runBuildStep(appDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const build = spawn('npm', ['run', 'build', '--silent'], { cwd: appDir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() }, stdio: ['ignore', 'ignore', 'inherit'] });
    build.once('error', reject);
    build.once('exit', (code) => (code === 0 ? resolve() : reject(new TrainerImageError(`npm run build in the trainer image failed (exit ${code})`))));
  });
}
