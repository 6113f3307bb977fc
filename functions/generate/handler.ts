import { createLogger } from '../../src/log/logger.js';
import { S3Store } from '../../src/store/s3-store.js';
import { requiredText } from '../environment.js';
import { createGenerateHandler } from './generate-handler.js';

/** API Gateway HTTP API (payload 2.0) → MIDI or a JSON error; built once per container, so warm calls reuse the client and models. */
export const handler = createGenerateHandler({
  store: new S3Store({ bucket: requiredText(process.env, 'BUCKET_NAME') }),
  log: createLogger('rubato-generate', process.env.LOG_LEVEL),
});
