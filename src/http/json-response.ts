import type { HttpResponse } from './http-types.js';

/** A JSON answer. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(value),
  };
}

/** The one error shape of the API: `{ "error": { "code", "message" } }`. */
export function errorBody(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpResponse {
  return jsonResponse(status, { error: { code, message } }, headers);
}
