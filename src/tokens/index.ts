import type { NotesChordsVocabulary } from './notes-chords-vocabulary.js';
import { notesChordsTokenizer } from './notes-chords.js';
import { performanceTokenizer } from './performance.js';
import type { Tokenizer, TokenizerName } from './tokenizer.js';
import { VocabularyError } from './vocabulary-error.js';

export type { DecodeOptions, Tokenizer, TokenizerName } from './tokenizer.js';
export type { EventGrammar, GrammarOptions } from './event-grammar.js';
export { performanceGrammar } from './performance-grammar.js';
export * from './performance-ids.js';
export { performanceTokenizer, encodePerformance, decodePerformance } from './performance.js';
export { notesChordsTokenizer, nearestKnownId } from './notes-chords.js';
export * from './notes-chords-vocabulary.js';
export { REST_SYMBOL, chordSymbol, symbolPitches } from './chord-symbols.js';
export { VocabularyError } from './vocabulary-error.js';

/** The names accepted on the command line and in stored metadata. */
export const TOKENIZER_NAMES: readonly TokenizerName[] = ['performance', 'notes-chords'];

export function isTokenizerName(value: string): value is TokenizerName {
  return (TOKENIZER_NAMES as readonly string[]).includes(value);
}

/**
 * The tokenizer called `name`. 'notes-chords' needs the vocabulary stored with its data; throws
 * {@link VocabularyError} without one.
 * @example getTokenizer('performance').encode(sequence)
 */
export function getTokenizer(name: TokenizerName, vocabulary?: NotesChordsVocabulary): Tokenizer {
  switch (name) {
    case 'performance':
      return performanceTokenizer;
    case 'notes-chords':
      if (vocabulary === undefined) {
        throw new VocabularyError('the notes-chords tokenizer needs a vocabulary (built from the data it encodes)');
      }
      return notesChordsTokenizer(vocabulary);
  }
}
