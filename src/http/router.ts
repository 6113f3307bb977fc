import { errorResponse } from './error-response.js';
import type { ApiHandler, HttpRequest, HttpResponse, RequestLog, RequestOptions } from './http-types.js';
import { errorBody } from './json-response.js';

/** One method on one path. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(request: HttpRequest, options: RequestOptions): Promise<HttpResponse>;
}

/**
 * Dispatches on (method, path): unknown path → 404, known path with another method → 405 with `Allow`, a thrown
 * error → {@link errorResponse}. A trailing slash is ignored.
 *
 * @example
 * const handle = createRouter([{ method: 'GET', path: '/health', handle: async () => jsonResponse(200, { status: 'ok' }) }], log);
 */
export function createRouter(routes: readonly Route[], log: RequestLog): ApiHandler {
  return async (request, options) => {
    const path = request.path.length > 1 ? request.path.replace(/\/+$/, '') : request.path;
    const onPath = routes.filter((route) => route.path === path);
    if (onPath.length === 0) return errorBody(404, 'not-found', `no route ${path}; the API serves ${[...new Set(routes.map((route) => route.path))].join(', ')}`);
    const route = onPath.find((candidate) => candidate.method === request.method.toUpperCase());
    if (!route) {
      const allowed = onPath.map((candidate) => candidate.method).join(', ');
      return errorBody(405, 'method-not-allowed', `${path} accepts ${allowed}, not ${request.method}`, { allow: allowed });
    }
    try {
      return await route.handle({ ...request, path }, options);
    } catch (error) {
      return errorResponse(error, log);
    }
  };
}
