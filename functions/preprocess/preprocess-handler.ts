import type { Logger } from '@aws-lambda-powertools/logger';
import type { PreprocessOutcome } from '../../src/pipeline/contracts.js';
import { preprocessUpload, type PreprocessDependencies } from '../../src/pipeline/preprocess-upload.js';
import { forEachUpload, type S3Event } from './s3-event.js';

/** The parts of the Lambda context used here. */
export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
}

export type PreprocessHandler = (event: S3Event, context: LambdaContext) => Promise<PreprocessOutcome[]>;

/**
 * The preprocess function over given adapters: every record of an S3 ObjectCreated event → one dataset entry or
 * rejection record; a bad file never fails the event, a store error fails it after the other records are done. The
 * record's version goes along, so an event for a version uploaded over since is superseded, not trained on.
 *
 * @example
 * export const handler = createPreprocessHandler({ store, queue, tokenizer, maxBytes, log: logger });
 */
export function createPreprocessHandler(dependencies: PreprocessDependencies & { log: Logger }): PreprocessHandler {
  const logger = dependencies.log;
  return async (event, context) => {
    logger.addContext(context as Parameters<Logger['addContext']>[0]);
    return forEachUpload(event, ({ key, ...version }) => preprocessUpload(key, dependencies, {}, version), logger);
  };
}
