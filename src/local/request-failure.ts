import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../http/json-response.js';
import { RequestError } from '../pipeline/request-errors.js';
import { sendError, writeResponse } from './http-io.js';

/**
 * Answers a request whose handling threw: a {@link RequestError} with its own status, anything else a 500 whose stack
 * goes to `log`. A client that went away mid-request is not a failure of the server: one line without a stack, and no
 * answer (there is no one to read it). A body too slow to arrive (408) is not waited for any longer: its answer closes
 * the connection. (Other refusals keep it: Node reads the unread rest away, and closing on unread bytes could make
 * the client lose the answer to a reset.)
 *
 * @example
 * handle(request, response).catch((error) => answerFailedRequest(request, response, error, log));
 */
export function answerFailedRequest(request: IncomingMessage, response: ServerResponse, error: unknown, log: (line: string) => void): void {
  if (request.readableAborted) return log(`client aborted ${request.method} ${request.url} (the connection closed before its request was read)`);
  if (response.headersSent) return void response.destroy();
  if (error instanceof RequestError && error.status === 408) response.setHeader('connection', 'close');
  if (error instanceof RequestError) return sendError(response, error);
  log(`internal error on ${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  writeResponse(response, errorBody(500, 'internal', 'the server failed on this request; see its log'));
}
