import type { IncomingMessage, ServerResponse } from 'node:http';
import { createApiHandler, maxRequestBodyBytes, type ApiDependencies } from '../http/api-routes.js';
import type { RequestLog } from '../http/http-types.js';
import { ModelCache } from '../pipeline/model-cache.js';
import type { Store } from '../store/store.js';
import { readBody, writeResponse } from './http-io.js';
import { describeLocalApi } from './local-openapi.js';

/** How long one generate request may sample before it answers with what it has. */
const generateBudgetMs = 25_000;

/**
 * The cloud's HTTP API (`/generate`, `/models`, `/health`, and `/openapi.json`, which here describes the local routes
 * too) on node:http: the same handler the generate Lambda runs, with the request read from the socket and the answer
 * written back. Answers every path it is given (404 for unknown).
 * `sampling` runs the sampling and hears of promotions (the local server: its worker pool).
 */
export function createCloudRoutes(
  store: Store,
  log: RequestLog,
  sampling: Required<Pick<ApiDependencies, 'generate' | 'latestChanged'>>,
): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void> {
  const api = createApiHandler({ store, cache: new ModelCache(store, { log }), log, ...sampling, describe: describeLocalApi });
  return async (request, response, url) => {
    const body = request.method === 'POST' ? new TextDecoder().decode(await readBody(request, maxRequestBodyBytes)) : undefined;
    const answer = await api(
      {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        ...(body !== undefined ? { body } : {}),
      },
      { deadline: Date.now() + generateBudgetMs },
    );
    writeResponse(response, answer);
  };
}
