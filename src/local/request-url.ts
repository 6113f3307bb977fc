import { RequestError } from '../pipeline/request-errors.js';

/**
 * The request target as a URL. Prefixing the origin keeps `//name/…` a path (as a relative reference it would name a
 * host, and `//%E0%A4%A` an invalid one: a 500); a target that still does not parse is the client's fault (400).
 */
export function requestUrl(target: string | undefined): URL {
  const path = target ?? '/';
  try {
    if (!path.startsWith('/')) throw new TypeError('not origin-form');
    return new URL(`http://localhost${path}`);
  } catch {
    throw new RequestError('malformed-request', 400, 'the request target is not a path such as /generate?seconds=10');
  }
}
