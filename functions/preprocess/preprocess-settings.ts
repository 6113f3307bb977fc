import type { PreprocessDependencies } from '../../src/pipeline/preprocess-upload.js';
import { getTokenizer, isTokenizerName } from '../../src/tokens/index.js';
import { ConfigurationError, positiveNumber } from '../environment.js';

/**
 * The preprocess function's settings from its environment (the Lambda's, or the emulator's). Uploads are tokenized
 * one at a time, each in its own invocation; notes-chords ids index a vocabulary built over a whole batch
 * (`rubato preprocess --tokenizer notes-chords`), which concurrent invocations cannot grow safely, so it is refused
 * here in one line rather than failing at the first upload (or, as before, with a stack at start).
 *
 * @example
 * createPreprocessHandler({ store, queue, ...preprocessSettings(process.env), log });
 */
export function preprocessSettings(environment: Record<string, string | undefined>): Pick<PreprocessDependencies, 'tokenizer' | 'maxBytes'> {
  const tokenizerName = environment.TOKENIZER ?? 'performance';
  if (!isTokenizerName(tokenizerName)) throw new ConfigurationError(`TOKENIZER must be performance or notes-chords, not "${tokenizerName}"`);
  if (tokenizerName === 'notes-chords') {
    throw new ConfigurationError('TOKENIZER=notes-chords is for batches only (rubato preprocess --tokenizer notes-chords): uploads are tokenized with performance, so leave TOKENIZER unset');
  }
  return { tokenizer: getTokenizer(tokenizerName), maxBytes: positiveNumber(environment, 'MAX_UPLOAD_BYTES', 5 * 1024 * 1024) };
}
