import type { HttpRequest, HttpResponse } from '../../src/http/http-types.js';

/** The parts of an API Gateway HTTP API (payload format 2.0) event the API reads. */
export interface HttpApiEvent {
  version: '2.0';
  rawPath: string;
  queryStringParameters?: Record<string, string | undefined>;
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: { requestId: string; http: { method: string; path: string } };
}

/** What the function returns to API Gateway (payload format 2.0). */
export interface HttpApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/** The event as an API request. Repeated query keys arrive comma-joined, and then fail validation as they should. */
export function requestFromEvent(event: HttpApiEvent): HttpRequest {
  const body = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: event.queryStringParameters ?? {},
    ...(body !== undefined ? { body } : {}),
  };
}

/** The API's answer for API Gateway: bytes go base64-encoded, text as it is. */
export function resultFromResponse(response: HttpResponse): HttpApiResult {
  const binary = typeof response.body !== 'string';
  return {
    statusCode: response.status,
    headers: response.headers,
    body: binary ? Buffer.from(response.body).toString('base64') : (response.body as string),
    isBase64Encoded: binary,
  };
}
