import { z } from 'zod';

/** Longest composer name an upload may carry. */
export const maxComposerLength = 64;

const composerPattern = /^[\p{L}\p{M}][\p{L}\p{M}\p{N} .'’-]*$/u;

/**
 * "any": the style of music whose composer is not known, the word a user gives for it (an upload's composer, a
 * generate request's style), and the same as giving none.
 */
export const isAnyComposer = (text: string): boolean => text.trim().toLowerCase() === 'any';

/**
 * The composer an upload names (S3 object metadata `composer`, `?composer=` locally, a manifest column), trimmed;
 * undefined when absent, "any", or not a plausible name — such a file trains as "any" style.
 *
 * @example uploadComposer(' Chopin ') // 'Chopin'; uploadComposer('any') // undefined
 */
export function uploadComposer(text: string | undefined): string | undefined {
  const name = text?.trim();
  if (!name || isAnyComposer(name) || name.length > maxComposerLength || !composerPattern.test(name)) return undefined;
  return name;
}

/**
 * A composer a user types (`?composer=` of the local upload, `rubato upload --composer`): a plausible name or "any".
 * Where a stored file's metadata quietly trains as "any", a typed one is checked, so a typo is refused, not lost.
 *
 * @example givenComposerSchema.parse('any') // 'any'; givenComposerSchema.safeParse('1999').success // false
 */
export const givenComposerSchema = z
  .string()
  .refine((composer) => isAnyComposer(composer) || uploadComposer(composer) !== undefined, `a composer name (letters, spaces, . ' -; at most ${maxComposerLength}) or "any"`);
