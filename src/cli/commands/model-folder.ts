import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel, ModelFilesError, modelFileNames, type LoadedModel } from '../../model/model-files.js';
import { FsStore } from '../../store/fs-store.js';
import { usageError } from './usage-error.js';

/** Loads a model folder for a command; a missing or broken folder is a usage error (exit 2) that names it. */
export async function loadModelFolder(command: string, folder: string, hint = ''): Promise<LoadedModel> {
  if (!(await stat(folder).catch(() => undefined))?.isDirectory()) return usageError(command, `--model ${folder}: no such folder${hint}`);
  if (!(await stat(join(folder, modelFileNames.manifest)).catch(() => undefined))) {
    return usageError(command, `--model ${folder}: not a model folder (no ${modelFileNames.manifest})${hint}`);
  }
  try {
    return await loadModel(new FsStore(folder), '');
  } catch (error) {
    if (!(error instanceof ModelFilesError)) throw error;
    return usageError(command, `${error.message} (folder ${folder})${hint}`);
  }
}
