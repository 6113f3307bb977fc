import type { TokenizerName } from '../tokens/tokenizer.js';

/** The bucket's object keys: the public contract between the functions, the trainer and users. */
export const keys = {
  uploadsPrefix: 'uploads/',
  datasetPrefix: (tokenizer: TokenizerName) => `datasets/${tokenizer}/`,
  datasetTokens: (tokenizer: TokenizerName, digest: string) => `datasets/${tokenizer}/${digest}.tokens`,
  datasetMeta: (tokenizer: TokenizerName, digest: string) => `datasets/${tokenizer}/${digest}.json`,
  rejected: (uploadKey: string) => `rejected/${uploadKey}.json`,
  modelsPrefix: 'models/',
  modelPrefix: (runId: string) => `models/${runId}/`,
  checkpointPrefix: (runId: string) => `checkpoints/${runId}/`,
  latest: 'models/latest.json',
} as const;
