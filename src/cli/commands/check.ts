import type { Command } from 'commander';
import { checkApi, checkSeconds } from '../aws/api-check.js';
import { createApiClient } from '../aws/api-client.js';
import { apiTargetOf, withApiOptions } from './api-option.js';

/** `rubato check --api URL`: after a deploy, whether the API answers and what it serves, on one screen. */
export function register(program: Command): void {
  withApiOptions(
    program.command('check').description(`Check a deployed (or emulated) API: health, models, a ${checkSeconds} s piece, and the model that played it`),
    "the API to check: the stack's ApiUrl output, or the emulator's http://127.0.0.1:8601",
  ).action(async (raw: { api?: string; region?: string }) => {
    const target = apiTargetOf('check', raw);
    console.log(`rubato check ${target.baseUrl.href} (signed for ${target.region} with ${target.signedWith})`);
    const { ok, lines } = await checkApi(createApiClient(target));
    console.log(lines.join('\n'));
    console.log(ok ? 'all good' : 'the check failed at the step above');
    if (!ok) process.exitCode = 1;
  });
}
