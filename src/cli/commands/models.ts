import type { Command } from 'commander';
import { createApiClient } from '../aws/api-client.js';
import { modelLine } from '../aws/model-line.js';
import { apiTargetOf, withApiOptions } from './api-option.js';

/** `rubato models --api URL [--json]`: the published models of a deployed (or emulated) stack, newest first. */
export function register(program: Command): void {
  withApiOptions(
    program.command('models').description('List the models an API serves (GET /models), newest first').option('--json', 'print the API\'s JSON answer as it is'),
    "the API: the stack's ApiUrl output, the emulator's http://127.0.0.1:8601 or the local server's http://127.0.0.1:8600",
  ).action(async (raw: { api?: string; region?: string; json?: boolean }) => {
    const list = await createApiClient(apiTargetOf('models', raw)).models();
    if (raw.json) return console.log(JSON.stringify(list, null, 2));
    if (list.models.length === 0) return console.log('no model published yet: upload MIDI files and wait for a training run');
    for (const model of list.models) console.log(modelLine(model));
  });
}
