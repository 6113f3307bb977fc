import { z } from 'zod';
import { jsonSchemaOf, type JsonSchema } from './openapi-schema.js';

/** HTTP status → the error codes (`error.code`) answered with it. */
export type ErrorCodes = Readonly<Partial<Record<number, readonly string[]>>>;

/** Where the error schema sits in the document. */
export const errorSchemaRef = '#/components/schemas/Error';

/**
 * The codes of `sets` together, per status, each once: an operation's own errors plus those of whatever serves it.
 *
 * @example
 * mergeErrors({ 400: ['invalid-json'] }, { 400: ['malformed-request'], 500: ['internal'] });
 * // { 400: ['invalid-json', 'malformed-request'], 500: ['internal'] }
 */
export function mergeErrors(...sets: ErrorCodes[]): ErrorCodes {
  const merged: Record<number, string[]> = {};
  for (const set of sets) {
    for (const [status, codes] of Object.entries(set)) merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...(codes ?? [])])];
  }
  return merged;
}

/** Every code in `sets`, sorted: the enum of the error schema. */
export function allCodes(sets: readonly ErrorCodes[]): string[] {
  return [...new Set(sets.flatMap((set) => Object.values(set).flatMap((codes) => codes ?? [])))].sort();
}

/**
 * The error schema, `{ "error": { "code", "message" } }` (see errorBody), with `codes` the codes any answer carries.
 *
 * @example
 * errorSchema(['busy', 'invalid-json']); // { type: 'object', properties: { error: { …, code: { enum: ['busy', 'invalid-json'] } } } }
 */
export function errorSchema(codes: readonly string[]): JsonSchema {
  const code = z.enum(codes as [string, ...string[]]).describe('stable: clients may switch on it');
  const message = z.string().describe('what went wrong and what to send instead, for a person');
  return jsonSchemaOf(z.object({ error: z.object({ code, message }) }));
}

/**
 * OpenAPI response objects for `errors`: each references the error schema and narrows `code` to the status's codes;
 * a 503, and a refusal that says when to come back ({@link codesWithRetryAfter}), carries `Retry-After`.
 *
 * @example
 * errorResponses({ 503: ['busy'] }); // { '503': { description: 'busy', headers: { 'retry-after': … }, content: … } }
 */
export function errorResponses(errors: ErrorCodes): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(errors).map(([status, codes = []]) => [status, errorResponse(Number(status), codes)]),
  );
}

/** Refusals other than a 503 that say when to come back: another trainer holds the lease until a known time. */
export const codesWithRetryAfter: ReadonlySet<string> = new Set(['trainer-lease-held']);

/** One error answer of `status` carrying one of `codes`. */
export function errorResponse(status: number, codes: readonly string[]): JsonSchema {
  const narrowed = { properties: { error: { properties: { code: { enum: codes } } } } };
  const retried = codes.filter((code) => codesWithRetryAfter.has(code));
  const retryAfter = status === 503 || retried.length > 0;
  const when = status === 503 ? 'seconds after which a retry has a fair chance' : `with ${retried.join(', ')}: seconds after which a retry has a fair chance`;
  return {
    description: codes.join(', '),
    ...(retryAfter ? { headers: { 'retry-after': { description: when, schema: { type: 'integer' } } } } : {}),
    content: { 'application/json': { schema: { allOf: [{ $ref: errorSchemaRef }, narrowed] } } },
  };
}
