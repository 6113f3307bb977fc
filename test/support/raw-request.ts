import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * One HTTP request with exactly the headers given (fetch forbids setting `Host`, and adds `Origin` only from a page):
 * what a hostile page, a DNS-rebinding attack or curl can send.
 */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Uint8Array },
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        // Node frames a GET/DELETE/OPTIONS body only when told its length.
        headers: { ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        setHost: options.headers?.host === undefined,
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** The `{ error: { code } }` of a JSON error answer (undefined for anything else). */
export function errorCodeOf(response: RawResponse): string | undefined {
  if (!String(response.headers['content-type']).startsWith('application/json')) return undefined;
  return (JSON.parse(response.body.toString('utf8')) as { error?: { code?: string } }).error?.code;
}
