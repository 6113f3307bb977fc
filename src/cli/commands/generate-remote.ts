import { ApiResponseError, createApiClient } from '../aws/api-client.js';
import { apiTargetOf } from './api-option.js';
import { checkWritable, writeOutputFile } from './input-files.js';
import { usageError } from './usage-error.js';

/**
 * `rubato generate --api URL …`: the same options, answered by a deployed (or emulated) API's `POST /generate` and
 * signed with SigV4; `--model` names a published run id there (default: latest). A request the API refuses (4xx) is a
 * usage error naming what it said; the written piece is summarised as one JSON line, as a local one is. `primer` is the
 * `--primer` file's bytes, already read and checked by the caller.
 *
 * @example
 * await generateWithApi({ api: 'http://127.0.0.1:8601', out: 'piece.mid' }, { seconds: '20' });
 */
export async function generateWithApi(raw: Record<string, unknown>, fields: Record<string, string>, primer?: Uint8Array): Promise<void> {
  const target = apiTargetOf('generate', raw);
  const out = String(raw.out);
  await checkWritable('generate', '--out', out);
  const request: Record<string, string> = { ...fields };
  if (typeof raw.model === 'string' && raw.model !== '') request.model = raw.model;
  if (primer !== undefined) request.primer = Buffer.from(primer).toString('base64');
  const started = performance.now();
  const piece = await createApiClient(target)
    .generate(request)
    .catch((error: unknown) => {
      if (error instanceof ApiResponseError && error.status >= 400 && error.status < 500 && error.code !== 'gateway') usageError('generate', error.message);
      throw error;
    });
  await writeOutputFile('generate', '--out', out, piece.midi);
  const { runId, seed, events, seconds, complete } = piece;
  console.log(JSON.stringify({ out, runId, seed, events, seconds, complete, ms: Math.round(performance.now() - started) }));
}
