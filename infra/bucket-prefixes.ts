import { keys } from '../src/pipeline/keys.js';

/**
 * Top-level key prefixes of the data bucket, as IAM and lifecycle rules need them.
 * `keys` (src/pipeline/keys.ts) is the contract; the infra tests check these match it.
 */
export const bucketPrefixes = {
  uploads: keys.uploadsPrefix,
  datasets: 'datasets/',
  rejected: 'rejected/',
  models: keys.modelsPrefix,
  checkpoints: 'checkpoints/',
} as const;

export type BucketPrefix = (typeof bucketPrefixes)[keyof typeof bucketPrefixes];
