import type { PipelineLog } from '../log/log.js';

/** A request as the API sees it, whatever carried it (API Gateway, the local server, a test). */
export interface HttpRequest {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  /** The body as text (the adapters decode base64 or bytes). */
  body?: string;
  /** Path segments a route names with `:name` (e.g. `runId` of `/models/:runId/promote`), set by the router. */
  params?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Text (JSON) or bytes (MIDI): the Lambda adapter base64-encodes bytes. */
  body: string | Uint8Array;
}

/** Structured logging the API needs: the use cases' own ({@link PipelineLog}); Powertools' Logger fits, so does a console shim. */
export type RequestLog = PipelineLog;

/** Per request: when the answer must be ready. */
export interface RequestOptions {
  /** Epoch ms by which the work must stop, leaving time to send the answer. */
  deadline: number;
}

/** Answers one request; never throws (errors become error responses). */
export type ApiHandler = (request: HttpRequest, options: RequestOptions) => Promise<HttpResponse>;
