import type { ServerOptions } from 'node:http';

/**
 * How long the local server waits for a client to send its request. Without them a slow body (1 KiB/s to
 * `/api/notes`) held a socket for as long as the client liked: 300 such sockets stayed open past 80 s (issue 24 item 9).
 */
export interface ServerTimeouts {
  /** For a request's headers (Node's `headersTimeout`; 408 and the connection closed after). */
  headersMs: number;
  /** For a whole request, headers and body, on any route (Node's `requestTimeout`): JSON bodies are at most 400 KiB. */
  requestMs: number;
  /** For an upload's body, from when it is admitted: 5 MiB in 30 s is 170 KiB/s, slower than any link worth serving. */
  uploadBodyMs: number;
  /** For `POST /api/notes`' body (at most 512 KiB; the page sends a generated piece of about 100 KB). */
  notesBodyMs: number;
  /** How often Node looks for requests past the first two (its default, 30 s, would let each run 30 s over). */
  checkEveryMs: number;
}

/**
 * An upload may wait up to 20 s to be admitted, then has `uploadBodyMs` for its body: together under `requestMs`, so
 * Node's own limit never cuts an upload that keeps to the route's.
 */
export const defaultServerTimeouts: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 60_000,
  uploadBodyMs: 30_000,
  notesBodyMs: 10_000,
  checkEveryMs: 1_000,
};

/** Node's own limits, as `createServer` options (the per-route body deadlines are given to `readBody`). */
export function nodeServerTimeouts(timeouts: ServerTimeouts): ServerOptions {
  return { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs };
}
