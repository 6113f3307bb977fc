import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { RequestError } from '../pipeline/request-errors.js';

/** Bodies the local routes read as MIDI; every other state-changing request with a body sends JSON. */
const midiBodyPaths = new Set(['/api/uploads', '/api/notes']);
const midiContentTypes = new Set(['audio/midi', 'audio/mid', 'audio/x-midi', 'application/octet-stream']);
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const wildcardAddresses = new Set(['0.0.0.0', '::', '']);

/** Checks one request before any route sees it; throws the 4xx {@link RequestError} that refuses it. */
export type RequestGuard = (request: IncomingMessage, pathname: string) => void;

/**
 * What keeps other web pages from driving the local server (it can upload, start training and read the user's files):
 *
 * - **Host** and **Origin** as {@link createOriginGuard} checks them;
 * - a state-changing request with a body must say `application/json`, or a MIDI type on the upload routes (415
 *   otherwise): neither is a CORS "simple" type, so a browser must ask with a preflight, which this server never allows.
 *
 * @example
 * const guard = createRequestGuard('127.0.0.1', 8600);
 * guard(request, url.pathname); // throws RequestError('forbidden-host', 403, …) for Host: evil.example
 */
export function createRequestGuard(boundHost: string, port: number): RequestGuard {
  const checkOrigin = createOriginGuard(boundHost, port);
  return (request, pathname) => {
    checkOrigin(request);
    if (safeMethods.has(request.method ?? 'GET') || !hasBody(request)) return;
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const midi = midiBodyPaths.has(pathname);
    if (midi ? !midiContentTypes.has(contentType) : contentType !== 'application/json') {
      const expected = midi ? 'audio/midi' : 'application/json';
      throw new RequestError('unsupported-media-type', 415, `${pathname} takes a body of content-type ${expected}, not "${contentType}"`);
    }
  };
}

/**
 * What keeps a DNS-rebinding or cross-site page from using a server on this machine — the local server's first check,
 * and all that `rubato emulate`'s HTTP API checks (it passes any body on, as API Gateway does):
 *
 * - **Host** must name this server — `127.0.0.1`, `localhost`, `[::1]` or the `--host` it listens on, with its port —
 *   so a DNS-rebinding page (`Host: rebind.example:8600`) gets 403. Bound to a wildcard address (`--host 0.0.0.0`),
 *   any IP literal is accepted too: rebinding needs a DNS name.
 * - **Origin**, when a state-changing request carries one, must be this very origin (403 otherwise).
 *
 * @example
 * const guard = createOriginGuard('127.0.0.1', 8601);
 * guard(request, url.pathname); // throws RequestError('forbidden-origin', 403, …) for a POST with Origin: https://evil
 */
export function createOriginGuard(boundHost: string, port: number): (request: IncomingMessage) => void {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', hostLiteral(boundHost).toLowerCase()]);
  const acceptsAnyAddress = wildcardAddresses.has(boundHost);
  const isOwnHost = (host: string): boolean => {
    const { name, port: hostPort } = splitHost(host.toLowerCase());
    if (hostPort !== port && !(hostPort === undefined && port === 80)) return false;
    return names.has(name) || (acceptsAnyAddress && isIP(name.replace(/^\[|\]$/g, '')) !== 0);
  };
  return (request) => {
    const host = request.headers.host;
    if (host === undefined || !isOwnHost(host)) {
      throw new RequestError('forbidden-host', 403, `this server answers only to its own address (127.0.0.1, localhost or [::1] on port ${port}), not to Host "${host ?? ''}"`);
    }
    if (safeMethods.has(request.method ?? 'GET')) return;
    const origin = request.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) {
      throw new RequestError('forbidden-origin', 403, `requests that change state must come from this server's own page, not from "${origin}"`);
    }
  };
}

function hasBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

function hostLiteral(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

function splitHost(host: string): { name: string; port?: number } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host);
  if (!match) return { name: host };
  return { name: match[1]!, ...(match[2] !== undefined ? { port: Number(match[2]) } : {}) };
}
