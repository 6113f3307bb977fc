import type { TokenizerName } from '../tokens/tokenizer.js';

/** The bucket's object keys: the public contract between the functions, the trainer and users. */
export const keys = {
  uploadsPrefix: 'uploads/',
  /** Endings of the uploads that trigger preprocessing (S3 suffix filters are case-sensitive). */
  uploadSuffixes: ['.mid', '.midi'],
  datasetPrefix: (tokenizer: TokenizerName) => `datasets/${tokenizer}/`,
  datasetTokens: (tokenizer: TokenizerName, digest: string) => `datasets/${tokenizer}/${digest}.tokens`,
  datasetMeta: (tokenizer: TokenizerName, digest: string) => `datasets/${tokenizer}/${digest}.json`,
  rejected: (uploadKey: string) => `rejected/${uploadKey}.json`,
  modelsPrefix: 'models/',
  modelPrefix: (runId: string) => `models/${runId}/`,
  checkpointsPrefix: 'checkpoints/',
  checkpointPrefix: (runId: string) => `checkpoints/${runId}/`,
  /** What a staged run is (its settings, budget and parent), beside its checkpoint; never published. */
  stagedRun: (runId: string) => `checkpoints/${runId}/run.json`,
  /** One trainer at a time trains on a bucket: the holder renews this object while it runs. */
  trainerLease: 'checkpoints/trainer-lease.json',
  latest: 'models/latest.json',
} as const;
