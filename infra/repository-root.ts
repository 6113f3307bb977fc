import { fileURLToPath } from 'node:url';

/** Absolute path of the checkout: entry points, the lock file and the trainer's build context live here. */
export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
