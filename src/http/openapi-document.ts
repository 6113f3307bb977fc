import { allCodes, errorResponse, errorResponses, errorSchema, mergeErrors, type ErrorCodes } from './openapi-errors.js';
import type { JsonSchema, OpenApiParameter } from './openapi-schema.js';

/** One operation before rendering: its errors stay codes, so whatever serves it can add its own (see withErrors). */
export interface OperationSpec {
  summary: string;
  description?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { description?: string; required: boolean; content: Record<string, { schema: JsonSchema }> };
  /** The answers that are not errors, by status: OpenAPI response objects. */
  answers: Record<string, JsonSchema>;
  errors: ErrorCodes;
}

export type HttpVerb = 'get' | 'post';

/** OpenAPI paths (`/models/{runId}/promote`) → method → operation. */
export type PathSpecs = Record<string, Partial<Record<HttpVerb, OperationSpec>>>;

/** What is rendered, besides the paths. */
export interface DocumentSpec {
  title: string;
  /** The API's own version, raised when a change breaks clients (not the package's). */
  version: string;
  description: string;
  paths: PathSpecs;
  /** Answers to a path no operation names (404) or a method the path does not take (405), by status. */
  routeErrors: ErrorCodes;
}

/** The rendered OpenAPI 3.1 document. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Partial<Record<HttpVerb, JsonSchema>>>;
  components: { schemas: { Error: JsonSchema }; responses: Record<string, JsonSchema> };
}

/**
 * `paths` with `errors(verb, path)` added to every operation's own: the errors of the server in front of them.
 *
 * @example
 * withErrors(cloudPaths, () => ({ 403: ['forbidden-host'] }));
 */
export function withErrors(paths: PathSpecs, errors: (verb: HttpVerb, path: string) => ErrorCodes): PathSpecs {
  return Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([verb, operation]) => [verb, { ...operation, errors: mergeErrors(operation.errors, errors(verb as HttpVerb, path)) }]),
      ),
    ]),
  );
}

/**
 * The OpenAPI 3.1 document: every operation with its answers and its error answers, which reference one error
 * schema whose `code` enum is every code the document names.
 *
 * @example
 * renderDocument({ title: 'rubato', version: '1', description: '…', paths: cloudPaths, routeErrors: { 404: ['not-found'] } });
 */
export function renderDocument({ title, version, description, paths, routeErrors }: DocumentSpec): OpenApiDocument {
  const operations = Object.values(paths).flatMap((byVerb) => Object.values(byVerb));
  const rendered = Object.fromEntries(
    Object.entries(paths).map(([path, byVerb]) => [
      path,
      Object.fromEntries(
        Object.entries(byVerb).map(([verb, { answers, errors, ...operation }]) => [verb, { ...operation, responses: { ...answers, ...errorResponses(errors) } }]),
      ),
    ]),
  );
  const responses = Object.fromEntries(Object.entries(routeErrors).map(([status, codes = []]) => [`Route${status}`, errorResponse(Number(status), codes)]));
  return {
    openapi: '3.1.0',
    info: { title, version, description },
    paths: rendered,
    components: { schemas: { Error: errorSchema(allCodes([routeErrors, ...operations.map((operation) => operation.errors)])) }, responses },
  };
}
