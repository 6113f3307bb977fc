import { z } from 'zod';
import { runIdPattern } from '../../src/pipeline/run-id.js';
import type { ShippedModel } from '../../src/pipeline/shipped-models.js';

/** The custom resource's event does not say which shipped models to publish, or says it in a shape this code does not read. */
export class DeployEventError extends Error {
  override name = 'DeployEventError';
}

/** What the stack puts in the custom resource's properties (`infra/shipped-models.ts` writes them). */
export interface ShippedModelsProperties {
  /** The rubato version the models ship with. */
  Version: string;
  /** The CDK asset bucket holding every file (one file asset each). */
  SourceBucket: string;
  /** `ShippedModel[]` as JSON: CloudFormation hands nested properties over as strings, so they travel as one. */
  Models: string;
}

/** The parts of a CloudFormation custom resource event (through the CDK provider framework) read here. */
export interface DeployEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
  ResourceProperties: ShippedModelsProperties & { ServiceToken?: string };
}

const fileName = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);
const modelsSchema = z.array(
  z.object({
    runId: z.string().regex(runIdPattern),
    files: z.array(z.object({ name: fileName, key: z.string().min(1) })).min(1),
  }),
);
const propertiesSchema = z.object({ Version: z.string().min(1), SourceBucket: z.string().min(1), Models: z.string() });

/**
 * The request a Create or Update event makes: from which bucket, which models, shipped with which version.
 * Throws a {@link DeployEventError} naming the property that does not read.
 *
 * @example
 * const { sourceBucket, models, version } = parseDeployEvent(event);
 */
export function parseDeployEvent(event: DeployEvent): { sourceBucket: string; models: ShippedModel[]; version: string } {
  const properties = propertiesSchema.safeParse(event.ResourceProperties);
  if (!properties.success) throw new DeployEventError(`ResourceProperties: ${properties.error.issues[0]?.path.join('.')} ${properties.error.issues[0]?.message}`);
  let json: unknown;
  try {
    json = JSON.parse(properties.data.Models);
  } catch {
    throw new DeployEventError('ResourceProperties.Models is not JSON');
  }
  const models = modelsSchema.safeParse(json);
  if (!models.success) throw new DeployEventError(`ResourceProperties.Models: ${models.error.issues[0]?.path.join('.')} ${models.error.issues[0]?.message}`);
  return { sourceBucket: properties.data.SourceBucket, models: models.data, version: properties.data.Version };
}
