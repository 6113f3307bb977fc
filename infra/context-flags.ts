import type { IConstruct } from 'constructs';

/** A `-c name=value` context flag that is neither `true` nor `false`. */
export class InvalidContextFlagError extends Error {
  override readonly name = 'InvalidContextFlagError';

  constructor(flag: string, value: unknown) {
    super(`Context flag ${flag} must be true or false (got ${JSON.stringify(value)}); pass e.g. -c ${flag}=true`);
  }
}

/** A `-c name=value` context flag that is not a whole number in its range, not one of its choices, or not an e-mail address. */
export class InvalidContextValueError extends Error {
  override readonly name = 'InvalidContextValueError';

  constructor(flag: string, value: unknown, expected: string) {
    super(`Context flag ${flag} must be ${expected} (got ${JSON.stringify(value)}); pass e.g. -c ${flag}=…`);
  }
}

/** The trainer task sizes `rubato:trainerCpu` takes: the Fargate vCPU counts from 2 to 16. */
export const trainerCpuChoices = [2, 4, 8, 16] as const;
export type TrainerCpu = (typeof trainerCpuChoices)[number];

/** The deployment switches of the stack, read from CDK context (`cdk.json` or `-c`). */
export interface RubatoFlags {
  /** `rubato:spot`: run the trainer on Fargate Spot (about 70 % cheaper, may be interrupted). */
  spotTrainer: boolean;
  /** `rubato:publicApi`: HTTP API without IAM authorization, throttled instead. */
  publicApi: boolean;
  /** `rubato:preprocessConcurrency`: reserved concurrency of the preprocess function (default 2). */
  preprocessConcurrency: number;
  /** `rubato:generateConcurrency`: reserved concurrency of the generate function (default 5). */
  generateConcurrency: number;
  /** `rubato:keepModels`: published models kept besides the latest (default 10). */
  keepModels: number;
  /** `rubato:trainDelayMinutes`: how long a train request waits so uploads in a burst share one run (0–15, default 15). */
  trainDelayMinutes: number;
  /** `rubato:alarmEmail`: an address subscribed to the alarm topic (it must confirm); none by default. */
  alarmEmail?: string;
  /** `rubato:trainerCpu`: vCPUs of the trainer task (default 2); memory and batch size follow. */
  trainerCpu: TrainerCpu;
}

/** Defaults of the numeric flags: small enough to fit a new account's concurrency limit with room to spare. */
export const flagDefaults = { preprocessConcurrency: 2, generateConcurrency: 5, keepModels: 10, trainDelayMinutes: 15 } as const;

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

/**
 * Reads a whole-number context flag within `[min, max]`.
 *
 * @example readIntegerFlag(app, 'rubato:keepModels', 10, 1, 1000) // 10 when unset
 */
export function readIntegerFlag(scope: IConstruct, flag: string, fallback: number, min: number, max: number): number {
  const value: unknown = scope.node.tryGetContext(flag);
  if (value === undefined) return fallback;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max) throw new InvalidContextValueError(flag, value, `a whole number from ${min} to ${max}`);
  return number;
}

function readEmailFlag(scope: IConstruct, flag: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(flag);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) throw new InvalidContextValueError(flag, value, 'an e-mail address');
  return value;
}

/**
 * Reads `rubato:trainerCpu`: 2, 4, 8 or 16 (a string from `-c`, a number from cdk.json); 2 when unset.
 *
 * @example readTrainerCpu(app) // 8 after `cdk deploy -c rubato:trainerCpu=8`
 */
export function readTrainerCpu(scope: IConstruct): TrainerCpu {
  const value: unknown = scope.node.tryGetContext('rubato:trainerCpu');
  if (value === undefined) return 2;
  const cpu = trainerCpuChoices.find((choice) => value === choice || value === String(choice));
  if (cpu === undefined) throw new InvalidContextValueError('rubato:trainerCpu', value, `one of ${trainerCpuChoices.join(', ')} (vCPUs)`);
  return cpu;
}

/** All of the stack's flags. */
export function readRubatoFlags(scope: IConstruct): RubatoFlags {
  const alarmEmail = readEmailFlag(scope, 'rubato:alarmEmail');
  return {
    spotTrainer: readBooleanFlag(scope, 'rubato:spot'),
    publicApi: readBooleanFlag(scope, 'rubato:publicApi'),
    preprocessConcurrency: readIntegerFlag(scope, 'rubato:preprocessConcurrency', flagDefaults.preprocessConcurrency, 1, 1000),
    generateConcurrency: readIntegerFlag(scope, 'rubato:generateConcurrency', flagDefaults.generateConcurrency, 1, 1000),
    keepModels: readIntegerFlag(scope, 'rubato:keepModels', flagDefaults.keepModels, 1, 1000),
    trainDelayMinutes: readIntegerFlag(scope, 'rubato:trainDelayMinutes', flagDefaults.trainDelayMinutes, 0, 15),
    ...(alarmEmail ? { alarmEmail } : {}),
    trainerCpu: readTrainerCpu(scope),
  };
}
