import { createApiHandler } from '../../src/http/api-routes.js';
import { createLogger } from '../../src/log/logger.js';
import { ModelCache } from '../../src/pipeline/model-cache.js';
import { S3Store } from '../../src/store/s3-store.js';
import { requiredText } from '../environment.js';
import { requestFromEvent, resultFromResponse, type HttpApiEvent, type HttpApiResult } from './http-api-event.js';

/** The parts of the Lambda context used here. */
export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

/** Time kept back from the function's timeout to decode, write the MIDI and answer. */
export const answerMarginMs = 2000;

// Built once per container: a warm call reuses the S3 client and the loaded models.
const logger = createLogger('rubato-generate', process.env.LOG_LEVEL);
const store = new S3Store({ bucket: requiredText(process.env, 'BUCKET_NAME') });
const api = createApiHandler({ store, cache: new ModelCache(store, { log: logger }), log: logger });

/** API Gateway HTTP API (payload 2.0) → the rubato API → MIDI or a JSON error. */
export const handler = async (event: HttpApiEvent, context: LambdaContext): Promise<HttpApiResult> => {
  logger.addContext(context);
  const deadline = Date.now() + context.getRemainingTimeInMillis() - answerMarginMs;
  return resultFromResponse(await api(requestFromEvent(event), { deadline }));
};
