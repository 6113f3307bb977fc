import type { Command } from 'commander';
import { ApiTargetError, apiTarget, type ApiTarget } from '../aws/api-target.js';
import { usageError } from './usage-error.js';

/** Adds `--api URL` and `--region R`, shared by the commands that call a deployed (or emulated) API. */
export function withApiOptions(command: Command, apiHelp: string): Command {
  return command
    .option('--api <url>', apiHelp)
    .option('--region <region>', 'AWS region to sign for when the URL does not name one (default AWS_REGION)');
}

/** The target `--api` names, or a usage error (exit 2) saying what is wrong with it. */
export function apiTargetOf(command: string, raw: { api?: unknown; region?: unknown }): ApiTarget {
  if (typeof raw.api !== 'string' || raw.api === '') usageError(command, "--api: give the API's URL (the stack's ApiUrl output, or the emulator's HTTP API)");
  try {
    return apiTarget(raw.api, typeof raw.region === 'string' ? raw.region : undefined);
  } catch (error) {
    if (error instanceof ApiTargetError) usageError(command, error.message);
    throw error;
  }
}
