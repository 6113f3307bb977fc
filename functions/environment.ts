/** A setting the deployment must provide is missing or malformed: the function cannot start. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

type Environment = Record<string, string | undefined>;

/**
 * Reads the entry points' settings from environment variables, naming the variable in every error.
 *
 * @example
 * const bucket = requiredText(process.env, 'BUCKET_NAME');
 * const minutes = positiveNumber(process.env, 'TRAIN_MINUTES', 30);
 */
export function requiredText(environment: Environment, name: string): string {
  const value = environment[name]?.trim();
  if (!value) throw new ConfigurationError(`${name} is not set`);
  return value;
}

/** A positive number, or `fallback` when the variable is unset. */
export function positiveNumber(environment: Environment, name: string, fallback: number): number {
  const text = environment[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigurationError(`${name} must be a positive number, not "${text}"`);
  return value;
}

/** A positive whole number, or undefined when the variable is unset (the use case's default applies). */
export function optionalPositiveInteger(environment: Environment, name: string): number | undefined {
  if (!environment[name]?.trim()) return undefined;
  const value = positiveNumber(environment, name, 0);
  if (!Number.isInteger(value)) throw new ConfigurationError(`${name} must be a whole number, not "${environment[name]}"`);
  return value;
}
