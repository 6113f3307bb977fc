import { z } from 'zod';
import { generateLimits, generateParamSchemas } from '../pipeline/generate-params.js';
import type { BadRequestCode } from '../pipeline/request-errors.js';
import { runIdPattern } from '../pipeline/run-id.js';
import { renderDocument, type OpenApiDocument, type OperationSpec, type PathSpecs } from './openapi-document.js';
import type { ErrorCodes } from './openapi-errors.js';
import { jsonSchemaOf, pathParameter, queryParameters, type JsonSchema } from './openapi-schema.js';

/** What `GET /openapi.json` answers: JSON, nothing else. */
export const openApiPath = '/openapi.json';

const { query, body, primerNote, accepted } = generateParamSchemas;

/** A JSON primer's notes as the body takes them; the schema checks them one at a time, the limits bound the array. */
const primerSchema: JsonSchema = {
  description: accepted.primer,
  anyOf: [
    { type: 'string', contentEncoding: 'base64', contentMediaType: 'audio/midi', maxLength: Math.ceil(generateLimits.primerBytes / 3) * 4 },
    { type: 'array', minItems: 1, maxItems: generateLimits.primerNotes, items: jsonSchemaOf(primerNote) },
  ],
};

/** The POST body's schema, each field described as its error message words it. */
function generateBodySchema(): JsonSchema {
  const schema = jsonSchemaOf(body) as { properties: Record<string, JsonSchema> };
  const properties = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, { ...property, description: accepted[name] }]));
  return { ...schema, properties: { ...properties, primer: primerSchema } };
}

/** Answered by every route of the shared router for a failure inside (logged; the body says nothing of it). */
const internalError: ErrorCodes = { 500: ['internal-error'] };
const queryMistakes = ['invalid-parameter', 'unknown-parameter', 'unsupported-control'] as const satisfies readonly BadRequestCode[];
const bodyMistakes = [...queryMistakes, 'invalid-json', 'invalid-primer'] as const satisfies readonly BadRequestCode[];
const modelErrors: ErrorCodes = { 404: ['model-not-found'], 503: ['no-model', 'busy'] };

const midiHeaders: Record<string, string> = {
  'x-rubato-run-id': 'the model that played it',
  'x-rubato-seed': 'the seed: the same request with it plays the same piece',
  'x-rubato-events': 'new events sampled',
  'x-rubato-seconds': 'length of the piece, seconds',
  'x-rubato-primer-seconds': "time of the primer's last event in the answer; the new notes start there or later",
  'x-rubato-complete': 'false when the deadline cut the piece short',
  'x-rubato-from-primer': 'what a continuation took from its primer, e.g. "density=6.1 key=Em dynamics=mf maxNoteSeconds=1.2"',
  'x-rubato-sampling': 'the decoding the piece was sampled with: the request\'s, else the model\'s own defaults, else rubato\'s, e.g. "temperature=1 topK=0 topP=0.95"',
};

/** The header names a generate answer describes, for the test that holds them to the answer. */
export const describedMidiHeaders = Object.keys(midiHeaders);

const midiAnswer: JsonSchema = {
  description: 'a MIDI file (an attachment named rubato-<runId>-<seed>.mid)',
  headers: Object.fromEntries(Object.entries(midiHeaders).map(([name, description]) => [name, { description, schema: { type: 'string' } }])),
  content: { 'audio/midi': { schema: { type: 'string', contentMediaType: 'audio/midi' } } },
};

/** A JSON answer whose body `schema` checks. */
export function jsonAnswer(description: string, schema: z.ZodType): JsonSchema {
  return { description, content: { 'application/json': { schema: jsonSchemaOf(schema) } } };
}

const modelList = z.object({
  models: z.array(z.looseObject({ runId: z.string(), createdAt: z.string(), latest: z.boolean(), controls: z.looseObject({}).nullable() })),
  latest: z.string().nullable(),
});

const generateOperation = (source: 'query' | 'body'): OperationSpec => ({
  summary: source === 'query' ? 'Generate a piece (parameters in the query)' : 'Generate a piece, or continue a primer (parameters in a JSON body)',
  description:
    'Samples new piano music from a published model (`model`, default the latest). Give `seconds` or `events`, not both. ' +
    (source === 'query'
      ? 'Query values are text: numbers as written (`seconds=30`), booleans as `true` or `false`; an empty value means "not given".'
      : 'Numbers may also be sent as numeric strings. `primer` is a base64 MIDI file or an array of notes; the answer holds its tail and the new notes.'),
  ...(source === 'query'
    ? { parameters: queryParameters(query, accepted) }
    : { requestBody: { required: false, content: { 'application/json': { schema: generateBodySchema() } } } }),
  answers: { 200: midiAnswer },
  errors: {
    400: source === 'query' ? queryMistakes : bodyMistakes,
    ...(source === 'body' ? { 413: ['payload-too-large'] } : {}),
    ...modelErrors,
    ...internalError,
  },
});

/** The shared API's operations (src/http/api-routes.ts), served by the generate Lambda and the local server alike. */
export const cloudPaths: PathSpecs = {
  '/generate': { get: generateOperation('query'), post: generateOperation('body') },
  '/models': {
    get: {
      summary: 'List the published models',
      description: 'Per model: its metrics, its controls and what they accept, and whether it is latest.',
      answers: { 200: jsonAnswer('the published models', modelList) },
      errors: internalError,
    },
  },
  '/models/{runId}/promote': {
    post: {
      summary: 'Make a published model the latest',
      description: 'Whatever its score. On AWS this route always needs a SigV4-signed request, even when generation is public.',
      parameters: [pathParameter('runId', z.string().regex(runIdPattern), 'a published run id (GET /models lists them)')],
      answers: { 200: jsonAnswer('the model is latest', z.object({ runId: z.string(), latest: z.literal(true) })) },
      errors: { 400: ['invalid-parameter'], 404: ['model-not-found'], ...internalError },
    },
  },
  '/health': {
    get: {
      summary: 'Is the service up, and which model is latest',
      answers: { 200: jsonAnswer('up', z.object({ status: z.literal('ok'), latestRunId: z.string().nullable() })) },
      errors: internalError,
    },
  },
  [openApiPath]: {
    get: {
      summary: 'This description (OpenAPI 3.1)',
      answers: { 200: jsonAnswer('the OpenAPI document', z.looseObject({ openapi: z.string() })) },
      errors: internalError,
    },
  },
};

/** Answered by the shared router to a path it does not serve, and to a method a path does not take (with `Allow`). */
export const cloudRouteErrors: ErrorCodes = { 404: ['not-found'], 405: ['method-not-allowed'] };

export const apiTitle = 'rubato';
export const apiVersion = '1';
const cloudDescription =
  'Learns piano from MIDI and plays new music. Every error answer is `{ "error": { "code", "message" } }`; the codes are stable. ' +
  'Deployed on AWS, every route needs a SigV4-signed request unless the stack was deployed with public generation; a refused signature ' +
  "is API Gateway's own 403, not this shape.";

/**
 * The OpenAPI 3.1 document of the shared API, built from the zod schemas that validate its requests.
 *
 * @example
 * const document = describeCloudApi(); // document.paths['/generate'].get.parameters[0].name === 'seconds'
 */
export function describeCloudApi(): OpenApiDocument {
  return renderDocument({ title: apiTitle, version: apiVersion, description: cloudDescription, paths: cloudPaths, routeErrors: cloudRouteErrors });
}
