import type { ServerResponse } from 'node:http';
import { validOrWarn } from '../log/damaged-object.js';
import { silentLog, type PipelineLog } from '../log/log.js';
import { modelManifestSchema, type ModelManifest } from '../model/manifest.js';
import { modelFileNames } from '../model/model-files.js';
import { keys } from '../pipeline/keys.js';
import { badRequest, RequestError } from '../pipeline/request-errors.js';
import { runIdPattern } from '../pipeline/run-id.js';
import { PlotError } from '../plot/plot-error.js';
import { parseProgressLines } from '../plot/progress-lines.js';
import { getJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import { sendJson } from './http-io.js';

const progressPath = /^\/api\/runs\/([^/]+)\/progress$/;
const progressFile = 'progress.jsonl';

/** What `GET /api/runs/<runId>/progress` answers: the whole loss history, so a reloaded page redraws the run. */
export interface RunProgress {
  runId: string;
  /** True once the run is published under `models/<runId>/`; false while it trains (or was stopped) in its staging folder. */
  published: boolean;
  records: ReturnType<typeof parseProgressLines>;
  /** The n-gram baselines on the run's validation events: the manifest's, else the newest in its progress; null when neither has them. */
  baselines: ModelManifest['metrics']['baselines'] | null;
}

/**
 * Serves `GET /api/runs/<runId>/progress` from the run's `progress.jsonl` (published model first, then its checkpoint
 * staging folder); resolves false for any other path. Unknown run 404, malformed run id 400. A damaged manifest only
 * costs the baselines (logged once to `log`).
 *
 * @example
 * if (await serveRunProgress(store, request.method, url, response, log)) return;
 */
export async function serveRunProgress(
  store: Store,
  method: string | undefined,
  url: URL,
  response: ServerResponse,
  log: PipelineLog = silentLog,
): Promise<boolean> {
  const match = progressPath.exec(url.pathname);
  if (method !== 'GET' || !match) return false;
  const runId = decodeURIComponent(match[1]!);
  if (!runIdPattern.test(runId)) throw badRequest('invalid-parameter', `runId: "${runId}" is not a run id (letters, digits, . _ -)`);
  const published = await store.get(keys.modelPrefix(runId) + progressFile);
  const bytes = published ?? (await store.get(keys.checkpointPrefix(runId) + progressFile));
  if (!bytes) throw new RequestError('not-found', 404, `no progress recorded for run "${runId}"`);
  let records: RunProgress['records'];
  try {
    records = parseProgressLines(new TextDecoder().decode(bytes), `${runId}/${progressFile}`);
  } catch (error) {
    if (error instanceof PlotError) throw new RequestError('unreadable-progress', 422, error.message);
    throw error;
  }
  const read = await getJson(store, keys.modelPrefix(runId) + modelFileNames.manifest, modelManifestSchema);
  const manifest = validOrWarn(read, log, 'answering the run\'s progress without its baselines');
  const body: RunProgress = { runId, published: published !== undefined, records, baselines: manifest?.metrics.baselines ?? newestBaselines(records) };
  sendJson(response, 200, body);
  return true;
}

/** A run still training (or published before baselines were progress records) has them only in its progress lines. */
function newestBaselines(records: RunProgress['records']): RunProgress['baselines'] {
  const newest = records.findLast((record) => record.kind === 'baselines');
  return newest ? { unigram: newest.unigram, bigram: newest.bigram, trigram: newest.trigram } : null;
}
