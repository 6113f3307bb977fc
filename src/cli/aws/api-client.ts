import type { ModelList } from '../../pipeline/list-models.js';
import type { ApiTarget } from './api-target.js';
import { signRequest } from './sign-request.js';

/** What `GET /health` answers. */
export interface ApiHealth {
  status: string;
  latestRunId: string | null;
}

/** A piece from `POST /generate`: the MIDI bytes and what the `x-rubato-*` headers say about it. */
export interface RemotePiece {
  midi: Uint8Array;
  runId: string;
  seed: number;
  events: number;
  seconds: number;
  complete: boolean;
}

/**
 * The API answered with an error: its HTTP status and the `{ error: { code, message } }` body rubato sends, or API
 * Gateway's own `{ message }` (403 for a missing or refused signature, 429 when throttled) with code `gateway`.
 */
export class ApiResponseError extends Error {
  override name = 'ApiResponseError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The API did not answer at all (refused connection, unknown host, TLS failure, no headers in time). */
export class ApiUnreachableError extends Error {
  override name = 'ApiUnreachableError';
}

export interface ApiClient {
  health(): Promise<ApiHealth>;
  models(): Promise<ModelList>;
  /** `fields` as the API names them (`seconds`, `topP`, `primer` as base64 MIDI…), sent as a JSON body. */
  generate(fields: Record<string, string>): Promise<RemotePiece>;
}

/**
 * A client for the rubato HTTP API (a deployed stack's, `rubato emulate`'s or `rubato serve`'s) that signs every
 * request with SigV4 for `execute-api`, as the stack's IAM authorization requires.
 *
 * @example
 * const api = createApiClient(apiTarget(process.env.API!));
 * const { latestRunId } = await api.health();
 */
export function createApiClient(target: ApiTarget, fetchFn: typeof fetch = fetch): ApiClient {
  const send = async (method: 'GET' | 'POST', route: string, body?: string): Promise<Response> => {
    const url = new URL(route, target.baseUrl);
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    const signed = await signRequest(
      { method, url, headers, ...(body !== undefined ? { body } : {}) },
      { credentials: await target.credentials(), region: target.region, service: 'execute-api' },
    );
    const response = await fetchFn(url, { method, headers: signed, ...(body !== undefined ? { body } : {}) }).catch((error: unknown) => {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiUnreachableError(`no answer from ${url.origin} (${cause?.code ?? cause?.message ?? String(error)})`);
    });
    if (!response.ok) throw await responseError(response, `${method} /${route}`);
    return response;
  };
  return {
    health: async () => (await (await send('GET', 'health')).json()) as ApiHealth,
    models: async () => (await (await send('GET', 'models')).json()) as ModelList,
    async generate(fields) {
      const response = await send('POST', 'generate', JSON.stringify(fields));
      const header = (name: string) => response.headers.get(`x-rubato-${name}`) ?? '';
      return {
        midi: new Uint8Array(await response.arrayBuffer()),
        runId: header('run-id'),
        seed: Number(header('seed')),
        events: Number(header('events')),
        seconds: Number(header('seconds')),
        complete: header('complete') === 'true',
      };
    },
  };
}

async function responseError(response: Response, request: string): Promise<ApiResponseError> {
  const text = await response.text();
  let body: { error?: { code?: string; message?: string }; message?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  if (body.error?.message) return new ApiResponseError(response.status, body.error.code ?? 'error', `${request}: ${body.error.message}`);
  const gateway = body.message ?? (text.slice(0, 200) || response.statusText);
  const hint = response.status === 403 ? ' (the request was not authorized: check your AWS credentials, region and execute-api:Invoke permission)' : '';
  return new ApiResponseError(response.status, 'gateway', `${request}: HTTP ${response.status} ${gateway}${hint}`);
}
