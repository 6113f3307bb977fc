import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The models shipped in the repository (`models/<name>/`): published into every bucket the local server, the emulator or a deploy starts with. */
export const committedModelsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

/** The committed default model (`models/default/`): the CLI's `--model` default, and the model a fresh bucket serves. */
export const defaultModelDir = resolve(committedModelsDir, 'default');

/**
 * The version in rubato's package.json: `rubato --version`, and what the committed models are published as shipped with.
 *
 * @example
 * packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  const packageJson = resolve(committedModelsDir, '../package.json');
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}
