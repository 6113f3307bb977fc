/** Longest composer name an upload may carry. */
export const maxComposerLength = 64;

const composerPattern = /^[\p{L}\p{M}][\p{L}\p{M}\p{N} .'’-]*$/u;

/**
 * The composer an upload names (S3 object metadata `composer`, `?composer=` locally, a manifest column), trimmed;
 * undefined when absent, "any", or not a plausible name — such a file trains as "any" style.
 *
 * @example uploadComposer(' Chopin ') // 'Chopin'; uploadComposer('any') // undefined
 */
export function uploadComposer(text: string | undefined): string | undefined {
  const name = text?.trim();
  if (!name || name.toLowerCase() === 'any' || name.length > maxComposerLength || !composerPattern.test(name)) return undefined;
  return name;
}
