import type { ZodError } from 'zod';

/** Prints a usage error naming the bad options and exits with status 2. */
export function usageError(command: string, error: ZodError | string): never {
  const message =
    typeof error === 'string'
      ? error
      : error.issues.map((issue) => `--${issue.path.join('.').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}`).join('; ');
  console.error(`rubato ${command}: ${message}`);
  process.exit(2);
}
