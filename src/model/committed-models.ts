import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsStore } from '../store/fs-store.js';
import { modelFileNames } from './model-files.js';

/** The models shipped in the repository (`models/<name>/`): published into every bucket the local server, the emulator or a deploy starts with. */
export const committedModelsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

/** The committed default model (`models/default/`): the CLI's `--model` default, and the model a fresh bucket serves. */
export const defaultModelDir = resolve(committedModelsDir, 'default');

/** A folder of `models/` that holds a model: its name (the run id it is published under) and the files directly in it. */
export interface CommittedModel {
  runId: string;
  /** Each file by name, and by key relative to the models folder (`default/model.json`). */
  files: Array<{ name: string; key: string }>;
}

/**
 * The models in a folder laid out as the repository's `models/`: every folder holding a `manifest.json`, with the
 * files directly in it; none when the folder does not exist. Synchronous, so the stack can name the files as assets
 * while it is built.
 *
 * @example
 * committedModels(); // [{ runId: 'default', files: [{ name: 'model.json', key: 'default/model.json' }, …] }, { runId: 'large', … }]
 */
export function committedModels(modelsDir: string = committedModelsDir): CommittedModel[] {
  return entriesOf(modelsDir)
    .filter((entry) => entry.isDirectory())
    .map((folder) => ({
      runId: folder.name,
      files: entriesOf(join(modelsDir, folder.name))
        .filter((entry) => entry.isFile())
        .map((file) => ({ name: file.name, key: `${folder.name}/${file.name}` })),
    }))
    .filter(({ files }) => files.some((file) => file.name === modelFileNames.manifest));
}

/**
 * The committed models of `modelsDir` as the pipeline's `publishShippedModels` takes them: read from the folder,
 * shipped with this version.
 *
 * @example
 * await publishShippedModels(store, committedShipment(), log);
 */
export function committedShipment(modelsDir: string = committedModelsDir): { source: FsStore; models: CommittedModel[]; version: string } {
  return { source: new FsStore(modelsDir), models: committedModels(modelsDir), version: packageVersion() };
}

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

/** A folder's entries; none when it does not exist. */
function entriesOf(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
