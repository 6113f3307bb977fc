import type { Logger } from '@aws-lambda-powertools/logger';
import { publishShippedModels } from '../../src/pipeline/shipped-models.js';
import type { Store } from '../../src/store/store.js';
import { parseDeployEvent, type DeployEvent } from './deploy-event.js';

/** One resource stands for "the shipped models are published"; its id never changes, so an update never replaces it. */
export const shippedModelsResourceId = 'rubato-shipped-models';

/** What the CDK provider framework expects back from an onEvent handler. */
export interface DeployResponse {
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

export type PublishShippedHandler = (event: DeployEvent) => Promise<DeployResponse>;

/**
 * The custom resource behind every deploy: on Create and Update (the stack's models or version changed) publishes the
 * shipped models from the asset bucket into the data bucket with the pipeline's {@link publishShippedModels}; on
 * Delete does nothing, as the data bucket and its models outlive the stack. A failure throws, so the deploy fails
 * and rolls back.
 *
 * @example
 * export const handler = createPublishShippedHandler({ store, sourceStore: (bucket) => new S3Store({ bucket }), log });
 */
export function createPublishShippedHandler(deps: { store: Store; sourceStore: (bucket: string) => Store; log: Logger }): PublishShippedHandler {
  return async (event) => {
    if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? shippedModelsResourceId };
    const { sourceBucket, models, version } = parseDeployEvent(event);
    const outcomes = await publishShippedModels(deps.store, { source: deps.sourceStore(sourceBucket), models, version }, deps.log);
    deps.log.info('shipped models', { requestType: event.RequestType, version, outcomes });
    const published = outcomes.filter((outcome) => outcome.status === 'published').map((outcome) => outcome.runId);
    return { PhysicalResourceId: shippedModelsResourceId, Data: { Published: published.join(',') } };
  };
}
