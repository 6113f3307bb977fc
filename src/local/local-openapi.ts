import { z } from 'zod';
import { apiTitle, apiVersion, cloudPaths, cloudRouteErrors, jsonAnswer } from '../http/openapi-cloud.js';
import { renderDocument, withErrors, type HttpVerb, type OpenApiDocument, type PathSpecs } from '../http/openapi-document.js';
import { mergeErrors, type ErrorCodes } from '../http/openapi-errors.js';
import { jsonSchemaOf, pathParameter, queryParameters, type JsonSchema } from '../http/openapi-schema.js';
import type { MidiErrorCode } from '../midi/midi-error.js';
import { runIdPattern } from '../pipeline/run-id.js';
import { trainBody, uploadQuery } from './local-request-schemas.js';
import { uploadNameSchema } from './upload-name.js';

/** Every reason `parseMidi` refuses a file, typed so a new one cannot be left out of the description. */
const midiErrorCodes = Object.keys({
  'not-midi': 0,
  truncated: 0,
  'bad-header': 0,
  'bad-track': 0,
  'no-notes': 0,
  'too-large': 0,
  'too-many-events': 0,
  'too-many-tracks': 0,
  'too-long': 0,
} satisfies Record<MidiErrorCode, 0>);

const midiContent = { 'audio/midi': { schema: { type: 'string', contentMediaType: 'audio/midi' } } };
const midiBody = { description: 'the MIDI bytes', required: true, content: midiContent };
const midiFile: JsonSchema = { description: 'the MIDI file', content: midiContent };
const uploadOutcome = z.object({ status: z.enum(['accepted', 'duplicate', 'rejected']), key: z.string(), code: z.string().optional(), message: z.string().optional() });
const trainingStatus = z.looseObject({ state: z.enum(['idle', 'running', 'stopping', 'finished']), runId: z.string().optional() });
const runIdParameter = pathParameter('runId', z.string().regex(runIdPattern), 'a run id, published or training');

/** The routes only the local server has (src/local/local-routes.ts, progress-route.ts). */
const localPaths: PathSpecs = {
  '/api/uploads': {
    post: {
      summary: 'Upload a MIDI file and preprocess it',
      description:
        'A name that holds an accepted file is never overwritten: a bad file is reported rejected, other music answers 409 name-taken. Until an upload\'s verdict is in, another file under its name answers 409 being-checked. ' +
        'A few uploads are read and checked at once and a few more wait their turn; past that, 503 busy with Retry-After.',
      parameters: queryParameters(uploadQuery, { name: 'the file name (.mid or .midi)', composer: 'the composer, learnt as the style; "any" when unknown' }),
      requestBody: midiBody,
      answers: { 200: jsonAnswer('accepted, or a duplicate of an accepted file', uploadOutcome), 422: jsonAnswer('rejected, with the reason', uploadOutcome) },
      errors: { 400: ['invalid-parameter', 'empty-upload'], 409: ['name-taken', 'being-checked'], 503: ['busy'] },
    },
  },
  '/api/uploads/{name}': {
    get: {
      summary: 'An uploaded file',
      parameters: [pathParameter('name', uploadNameSchema, 'the file name it was uploaded as')],
      answers: { 200: midiFile },
      errors: { 400: ['invalid-parameter'], 404: ['not-found'] },
    },
  },
  '/api/files': {
    get: { summary: 'Every upload, with its outcome', answers: { 200: jsonAnswer('the uploads', z.object({ files: z.array(z.looseObject({})) })) }, errors: {} },
  },
  '/api/train': {
    get: { summary: 'What training is doing', answers: { 200: jsonAnswer('the training status', trainingStatus) }, errors: {} },
    post: {
      summary: 'Start (or continue) a training run',
      requestBody: { required: false, content: { 'application/json': { schema: jsonSchemaOf(trainBody) } } },
      answers: { 202: jsonAnswer('the run started', trainingStatus) },
      errors: { 400: ['invalid-json', 'invalid-parameter'], 409: ['no-data', 'training-starting', 'training-running', 'trainer-lease-held'] },
    },
  },
  '/api/train/stop': {
    post: { summary: 'Checkpoint and stop the running training', answers: { 200: jsonAnswer('the training status', trainingStatus) }, errors: {} },
  },
  '/api/train/events': {
    get: {
      summary: 'Training state, log and progress as server-sent events',
      answers: { 200: { description: 'an event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      errors: {},
    },
  },
  '/api/runs/{runId}/progress': {
    get: {
      summary: "A run's whole loss history",
      parameters: [runIdParameter],
      answers: {
        200: jsonAnswer('the progress records and baselines', z.looseObject({ runId: z.string(), published: z.boolean(), records: z.array(z.looseObject({})) })),
      },
      errors: { 400: ['invalid-parameter'], 404: ['not-found'], 422: ['unreadable-progress'] },
    },
  },
  '/api/notes': {
    post: {
      summary: "A MIDI file's notes, for the piano roll",
      requestBody: midiBody,
      answers: { 200: jsonAnswer('the notes, times in seconds', z.object({ totalSeconds: z.number(), notes: z.array(z.looseObject({})) })) },
      errors: { 422: midiErrorCodes },
    },
  },
};

/** Errors the local server answers before any route sees the request (client-error, request-url, request-guard, local-server). */
function serverErrors(verb: HttpVerb): ErrorCodes {
  const everyRequest: ErrorCodes = {
    400: ['malformed-request'],
    403: ['forbidden-host'],
    408: ['request-timeout'],
    431: ['headers-too-large'],
    500: ['internal'],
    503: ['starting'],
  };
  const changesState: ErrorCodes = { 403: ['forbidden-origin'], 413: ['payload-too-large'], 415: ['unsupported-media-type'] };
  return verb === 'post' ? mergeErrors(everyRequest, changesState) : everyRequest;
}

/**
 * The OpenAPI 3.1 document of the local server: the shared API and the `/api/*` routes, each with the errors the
 * server in front of them adds (Host and Origin checks, body types).
 *
 * @example
 * createApiHandler({ store, cache, log, describe: describeLocalApi });
 */
export function describeLocalApi(): OpenApiDocument {
  return renderDocument({
    title: `${apiTitle} (local server)`,
    version: apiVersion,
    description:
      "rubato on one machine (`rubato serve`): the cloud API and the playground's `/api/*` routes. " +
      'Every error answer is `{ "error": { "code", "message" } }`. It answers only requests addressed to its own host and port; ' +
      'a state-changing request must come from its own origin and send `application/json` (or `audio/midi` to the upload routes).',
    paths: withErrors({ ...cloudPaths, ...localPaths }, serverErrors),
    routeErrors: cloudRouteErrors,
  });
}
