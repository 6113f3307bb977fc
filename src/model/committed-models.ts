import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The model shipped in the repository (`models/default/`): the CLI's `--model` default and the local server's preload. */
export const defaultModelDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../models/default');
