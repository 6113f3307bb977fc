import type { IConstruct } from 'constructs';

/** A `-c name=value` context flag that is neither `true` nor `false`. */
export class InvalidContextFlagError extends Error {
  override readonly name = 'InvalidContextFlagError';

  constructor(flag: string, value: unknown) {
    super(`Context flag ${flag} must be true or false (got ${JSON.stringify(value)}); pass e.g. -c ${flag}=true`);
  }
}

/** The deployment switches of the stack, read from CDK context (`cdk.json` or `-c`). */
export interface RubatoFlags {
  /** `rubato:spot`: run the trainer on Fargate Spot (about 70 % cheaper, may be interrupted). */
  spotTrainer: boolean;
  /** `rubato:publicApi`: HTTP API without IAM authorization, throttled instead. */
  publicApi: boolean;
}

/**
 * Reads a boolean context flag; the CLI passes `-c` values as strings, cdk.json as JSON.
 *
 * @example readBooleanFlag(app, 'rubato:spot') // false when unset
 */
export function readBooleanFlag(scope: IConstruct, flag: string): boolean {
  const value: unknown = scope.node.tryGetContext(flag);
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new InvalidContextFlagError(flag, value);
}

/** All of the stack's flags. */
export function readRubatoFlags(scope: IConstruct): RubatoFlags {
  return {
    spotTrainer: readBooleanFlag(scope, 'rubato:spot'),
    publicApi: readBooleanFlag(scope, 'rubato:publicApi'),
  };
}
