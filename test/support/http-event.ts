import type { HttpApiEvent } from '../../functions/generate/http-api-event.js';
import type { LambdaContext } from '../../functions/generate/generate-handler.js';

export interface HttpEventInit {
  method?: string;
  path: string;
  query?: Record<string, string>;
  /** A JSON-able value is sent as JSON text; a string as it is. */
  body?: unknown;
  base64Body?: boolean;
}

/**
 * An API Gateway HTTP API (payload 2.0) event, as API Gateway would send it.
 *
 * @example
 * httpEventFactory({ path: '/generate', query: { seconds: '5' } })
 */
export function httpEventFactory({ method = 'GET', path, query, body, base64Body = false }: HttpEventInit): HttpApiEvent & { routeKey: string; rawQueryString: string } {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const rawQueryString = new URLSearchParams(query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    ...(query ? { queryStringParameters: query } : {}),
    headers: { host: 'example.execute-api.eu-west-1.amazonaws.com', ...(text !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(text !== undefined ? { body: base64Body ? Buffer.from(text).toString('base64') : text } : {}),
    isBase64Encoded: base64Body,
    requestContext: { requestId: `request-${Math.random().toString(36).slice(2, 10)}`, http: { method, path } },
  };
}

/** A Lambda context whose remaining time counts down from `timeoutMs`. */
export function lambdaContextFactory(timeoutMs = 29_000): LambdaContext {
  const endsAt = Date.now() + timeoutMs;
  return {
    awsRequestId: `aws-${Math.random().toString(36).slice(2, 10)}`,
    functionName: 'rubato-generate',
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
  };
}
