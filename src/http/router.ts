import { errorResponse } from './error-response.js';
import type { ApiHandler, HttpRequest, HttpResponse, RequestLog, RequestOptions } from './http-types.js';
import { errorBody } from './json-response.js';

/** One method on one path; a `:name` segment matches any one segment and reaches the handler as `params.name`. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(request: HttpRequest, options: RequestOptions): Promise<HttpResponse>;
}

/**
 * Dispatches on (method, path): unknown path → 404, known path with another method → 405 with `Allow`, a thrown
 * error → {@link errorResponse}. A trailing slash is ignored; `:name` segments are decoded into `request.params`.
 *
 * @example
 * const handle = createRouter([{ method: 'GET', path: '/health', handle: async () => jsonResponse(200, { status: 'ok' }) }], log);
 */
export function createRouter(routes: readonly Route[], log: RequestLog): ApiHandler {
  return async (request, options) => {
    const path = request.path.length > 1 ? request.path.replace(/\/+$/, '') : request.path;
    const onPath = routes.flatMap((route) => {
      const params = matchPath(route.path, path);
      return params ? [{ route, params }] : [];
    });
    if (onPath.length === 0) return errorBody(404, 'not-found', `no route ${path}; the API serves ${[...new Set(routes.map((route) => route.path))].join(', ')}`);
    const match = onPath.find((candidate) => candidate.route.method === request.method.toUpperCase());
    if (!match) {
      const allowed = onPath.map((candidate) => candidate.route.method).join(', ');
      return errorBody(405, 'method-not-allowed', `${path} accepts ${allowed}, not ${request.method}`, { allow: allowed });
    }
    try {
      return await match.route.handle({ ...request, path, params: match.params }, options);
    } catch (error) {
      return errorResponse(error, log);
    }
  };
}

/** The `:name` segments of `pattern` in `path`, or undefined when the path does not fit the pattern. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    const actual = have[index]!;
    if (segment.startsWith(':')) {
      if (actual === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        params[segment.slice(1)] = actual; // not valid percent-encoding: the handler's own check refuses it
      }
    } else if (segment !== actual) return undefined;
  }
  return params;
}
