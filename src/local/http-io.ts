import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpResponse } from '../http/http-types.js';
import { requestErrorResponse } from '../http/error-response.js';
import { jsonResponse } from '../http/json-response.js';
import { badRequest, payloadTooLarge, type RequestError } from '../pipeline/request-errors.js';

/**
 * The whole request body, refusing more than `maxBytes` as soon as it is exceeded (413) so a huge upload is never
 * buffered.
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    parts.push(part);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** The body parsed as JSON (an empty body is `{}`); 400 when it is not JSON. */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const text = new TextDecoder().decode(await readBody(request, maxBytes)).trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('invalid-json', 'the request body is not valid JSON');
  }
}

/** Writes an answer of the shared HTTP API's shape to the socket. */
export function writeResponse(response: ServerResponse, answer: HttpResponse): void {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  response.writeHead(answer.status, { ...answer.headers, 'content-length': body.length });
  response.end(body);
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  writeResponse(response, jsonResponse(status, value));
}

export function sendError(response: ServerResponse, error: RequestError): void {
  writeResponse(response, requestErrorResponse(error));
}

function tooLarge(maxBytes: number): RequestError {
  return payloadTooLarge(`the request body is larger than ${maxBytes} bytes`);
}
