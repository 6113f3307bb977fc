import type { PreprocessDependencies } from '../../src/pipeline/preprocess-upload.js';
import { getTokenizer, isTokenizerName } from '../../src/tokens/index.js';
import { ConfigurationError, positiveNumber } from '../environment.js';

/**
 * The preprocess function's settings from its environment (the Lambda's, or the emulator's).
 *
 * @example
 * createPreprocessHandler({ store, queue, ...preprocessSettings(process.env), log });
 */
export function preprocessSettings(environment: Record<string, string | undefined>): Pick<PreprocessDependencies, 'tokenizer' | 'maxBytes'> {
  const tokenizerName = environment.TOKENIZER ?? 'performance';
  if (!isTokenizerName(tokenizerName)) throw new ConfigurationError(`TOKENIZER must be performance or notes-chords, not "${tokenizerName}"`);
  return { tokenizer: getTokenizer(tokenizerName), maxBytes: positiveNumber(environment, 'MAX_UPLOAD_BYTES', 5 * 1024 * 1024) };
}
