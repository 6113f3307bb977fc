import { warnDamaged } from '../log/damaged-object.js';
import { describeTakenFromPrimer } from '../pipeline/continuation-plan.js';
import { describeDecoding } from '../model/sampling-defaults.js';
import { generatePiece, type GeneratedPiece } from '../pipeline/generate-piece.js';
import { parseGenerateParams, type GenerateParams } from '../pipeline/generate-params.js';
import { listPublishedModels } from '../pipeline/models-index.js';
import type { ModelCache } from '../pipeline/model-cache.js';
import { promoteModel } from '../pipeline/promote-model.js';
import { badRequest, payloadTooLarge, serverBusy } from '../pipeline/request-errors.js';
import type { Store } from '../store/store.js';
import type { ApiHandler, HttpResponse, RequestLog } from './http-types.js';
import { jsonResponse } from './json-response.js';
import { describeCloudApi, openApiPath } from './openapi-cloud.js';
import type { OpenApiDocument } from './openapi-document.js';
import { createRouter } from './router.js';

/** Largest POST body, in bytes of text: a 256 KiB primer in base64 plus the other fields. */
export const maxRequestBodyBytes = 400 * 1024;

export interface ApiDependencies {
  store: Store;
  cache: ModelCache;
  log: RequestLog;
  /**
   * Runs the generate use case on validated params. Default: {@link generatePiece} in this thread on `cache` (right
   * for a Lambda, one request per container); the local server passes a worker pool so sampling leaves its event loop.
   */
  generate?: PieceGenerator;
  /**
   * Told after a promotion, once `cache` has forgotten its pointer: whatever samples on caches of its own (the local
   * server's generate workers) must follow the new latest from the very next request too.
   */
  latestChanged?: () => Promise<void>;
  /** What `GET /openapi.json` answers, built once. Default: {@link describeCloudApi}; the local server adds its own routes. */
  describe?: () => OpenApiDocument;
}

/** Samples a piece for validated params by the deadline (epoch ms); throws the use case's request errors. */
export type PieceGenerator = (params: GenerateParams, deadline: number) => Promise<GeneratedPiece>;

/**
 * The rubato HTTP API — `GET|POST /generate`, `GET /models`, `POST /models/<runId>/promote`, `GET /health` and its
 * OpenAPI description `GET /openapi.json` — shared by
 * the generate Lambda and the local server; each adapter only turns its own request and response types into these.
 * (The cloud stack keeps the promote route behind IAM authorization even when generation is public.)
 *
 * @example
 * const api = createApiHandler({ store, cache: new ModelCache(store), log });
 * const response = await api({ method: 'GET', path: '/generate', query: { seconds: '5' } }, { deadline: Date.now() + 20_000 });
 */
export function createApiHandler({ store, cache, log, generate: generateWith, latestChanged, describe = describeCloudApi }: ApiDependencies): ApiHandler {
  const run: PieceGenerator = generateWith ?? ((params, deadline) => generatePiece(params, { cache, deadline }));
  // The description never changes while the handler lives: rendered for the first request that asks, then reused.
  let description: OpenApiDocument | undefined;
  const generate = async (input: unknown, source: 'query' | 'body', deadline: number): Promise<HttpResponse> => {
    const params = parseGenerateParams(input, source);
    const started = Date.now();
    const piece = await run(params, deadline);
    if (piece.events === 0 && !piece.complete) {
      throw serverBusy('the server was too busy to sample any music before the deadline: try again in a few seconds');
    }
    if (piece.standsInFor) {
      warnDamaged(log, piece.standsInFor, `serving the shipped model "${piece.runId}" in place of ${piece.standsInFor.runId}`);
    }
    log.info('generated', { runId: piece.runId, seed: piece.seed, events: piece.events, complete: piece.complete, ms: Date.now() - started });
    return midiResponse(piece);
  };
  return createRouter(
    [
      { method: 'GET', path: '/generate', handle: (request, { deadline }) => generate(request.query, 'query', deadline) },
      { method: 'POST', path: '/generate', handle: (request, { deadline }) => generate(parseJsonBody(request.body), 'body', deadline) },
      { method: 'GET', path: '/models', handle: async () => jsonResponse(200, await listPublishedModels(store, log)) },
      {
        method: 'POST',
        path: '/models/:runId/promote',
        handle: async (request) => {
          const { runId } = await promoteModel(store, request.params?.runId ?? '', log);
          cache.forgetLatest();
          await latestChanged?.();
          return jsonResponse(200, { runId, latest: true });
        },
      },
      {
        method: 'GET',
        path: '/health',
        handle: async () => jsonResponse(200, { status: 'ok', latestRunId: (await cache.latest())?.runId ?? null }),
      },
      { method: 'GET', path: openApiPath, handle: async () => jsonResponse(200, (description ??= describe())) },
    ],
    log,
  );
}

function parseJsonBody(body: string | undefined): unknown {
  const text = body ?? '';
  if (Buffer.byteLength(text) > maxRequestBodyBytes) {
    throw payloadTooLarge(`the request body is over ${maxRequestBodyBytes / 1024} KiB`);
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('invalid-json', 'the request body is not valid JSON; send an object such as {"seconds": 20, "seed": 7}');
  }
}

function midiResponse(piece: GeneratedPiece): HttpResponse {
  const exposed = {
    'content-disposition': `attachment; filename="rubato-${piece.runId}-${piece.seed}.mid"`,
    'x-rubato-run-id': piece.runId,
    'x-rubato-seed': String(piece.seed),
    'x-rubato-events': String(piece.events),
    'x-rubato-seconds': piece.seconds.toFixed(2),
    'x-rubato-primer-seconds': piece.primerSeconds.toFixed(2),
    'x-rubato-complete': String(piece.complete),
    'x-rubato-from-primer': describeTakenFromPrimer(piece.fromPrimer),
    'x-rubato-sampling': describeDecoding(piece.decoding),
  };
  return {
    status: 200,
    headers: {
      'content-type': 'audio/midi',
      'cache-control': 'no-store',
      ...exposed,
      // Cross-origin, a page's script reads only the headers listed here: every one that describes the piece.
      'access-control-expose-headers': Object.keys(exposed).join(', '),
    },
    body: piece.midi,
  };
}
