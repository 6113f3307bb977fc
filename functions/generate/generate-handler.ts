import type { Logger } from '@aws-lambda-powertools/logger';
import { createApiHandler } from '../../src/http/api-routes.js';
import { ModelCache } from '../../src/pipeline/model-cache.js';
import type { Store } from '../../src/store/store.js';
import { requestFromEvent, resultFromResponse, type HttpApiEvent, type HttpApiResult } from './http-api-event.js';

/** The parts of the Lambda context used here. */
export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

export type GenerateHandler = (event: HttpApiEvent, context: LambdaContext) => Promise<HttpApiResult>;

/** Time kept back from the function's timeout to decode, write the MIDI and answer. */
export const answerMarginMs = 2000;

/**
 * The generate function over a given store: API Gateway HTTP API (payload 2.0) → the rubato API → MIDI or a JSON
 * error. The loaded models are cached for the handler's lifetime (a warm container's).
 *
 * @example
 * export const handler = createGenerateHandler({ store: new S3Store({ bucket }), log: logger });
 */
export function createGenerateHandler({ store, log }: { store: Store; log: Logger }): GenerateHandler {
  const api = createApiHandler({ store, cache: new ModelCache(store, { log }), log });
  return async (event, context) => {
    log.addContext(context);
    const deadline = Date.now() + context.getRemainingTimeInMillis() - answerMarginMs;
    return resultFromResponse(await api(requestFromEvent(event), { deadline }));
  };
}
