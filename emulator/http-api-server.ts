import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenerateHandler } from '../functions/generate/generate-handler.js';
import type { HttpApiEvent } from '../functions/generate/http-api-event.js';
import { createOriginGuard } from '../src/local/request-guard.js';
import { writeResponse } from '../src/local/http-io.js';
import { requestErrorResponse } from '../src/http/error-response.js';
import { RequestError } from '../src/pipeline/request-errors.js';

/** API Gateway's largest request payload; a bigger body gets its 413. */
const maxBodyBytes = 10 * 1024 * 1024;
/** API Gateway's integration timeout, and the generate function's in the stack. */
const functionTimeoutMs = 29_000;

export interface LocalHttpApi {
  url: string;
  close(): Promise<void>;
}

/**
 * An HTTP API stand-in on 127.0.0.1: each request becomes a payload-2.0 event for `handler` (as API Gateway builds
 * it: query keys comma-joined, text bodies as they are, other bodies base64), and the result goes back as the response.
 * Like `rubato serve`, it answers only to its own Host, and to a state-changing request only from its own Origin (403
 * otherwise): a page in the laptop's browser must not promote models through it.
 *
 * @example
 * const api = await startHttpApi(createGenerateHandler({ store, log }), { port: 8601 });
 */
export async function startHttpApi(handler: GenerateHandler, options: { port?: number } = {}): Promise<LocalHttpApi> {
  // Set once the port is known; no request arrives before the server listens.
  let guard = (_request: IncomingMessage): void => {};
  const server = createServer((request, response) => {
    try {
      guard(request);
    } catch (error) {
      if (error instanceof RequestError) return writeResponse(response, requestErrorResponse(error));
      throw error;
    }
    answer(handler, request, response).catch((error: unknown) => {
      // What API Gateway answers when the integration fails.
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Internal Server Error' }));
      console.error('emulated API: the function failed', error);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  guard = createOriginGuard('127.0.0.1', port);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

async function answer(handler: GenerateHandler, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  if (body === undefined) {
    response.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Request Entity Too Large' }));
    return;
  }
  const endsAt = Date.now() + functionTimeoutMs;
  const result = await handler(eventFromRequest(request, body), {
    awsRequestId: randomUUID(),
    functionName: 'rubato-generate',
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
  });
  response.writeHead(result.statusCode, result.headers);
  response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

/** The payload-2.0 event API Gateway would send for this request. */
export function eventFromRequest(request: IncomingMessage, body: Buffer): HttpApiEvent & { rawQueryString: string } {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]));
  const text = /^(application\/json|text\/)/.test(request.headers['content-type'] ?? '');
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(url.search ? { queryStringParameters: query } : {}),
    headers,
    ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
    requestContext: { requestId: randomUUID(), http: { method, path: url.pathname } },
  };
}

/** The whole body, or undefined past API Gateway's limit. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
