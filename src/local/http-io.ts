import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpResponse } from '../http/http-types.js';
import { requestErrorResponse } from '../http/error-response.js';
import { jsonResponse } from '../http/json-response.js';
import { badRequest, payloadTooLarge, RequestError } from '../pipeline/request-errors.js';

/**
 * The whole request body, refusing more than `maxBytes` as soon as it is exceeded (413) so a huge upload is never
 * buffered, and a body still arriving `withinMs` after reading began (408) so a slow client cannot hold the request.
 * Either way the rest of the body is left unread.
 */
export async function readBody(request: IncomingMessage, maxBytes: number, withinMs?: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks = (request as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    if (withinMs !== undefined) timer = setTimeout(() => reject(bodyTimeout(withinMs)), withinMs);
  });
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), late]);
      if (next.done) break;
      size += next.value.length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      parts.push(next.value);
    }
  } finally {
    clearTimeout(timer);
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

function bodyTimeout(withinMs: number): RequestError {
  return new RequestError('request-timeout', 408, `the request body did not arrive within ${withinMs / 1000} s: send it at once, not piece by piece`);
}

function tooLarge(maxBytes: number): RequestError {
  return payloadTooLarge(`the request body is larger than ${maxBytes} bytes`);
}
