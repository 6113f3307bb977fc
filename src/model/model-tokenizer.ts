import { getTokenizer, NotesChordsVocabulary, type Tokenizer } from '../tokens/index.js';
import type { ModelManifest } from './manifest.js';

/** The tokenizer a model was trained with, rebuilt from its manifest (with the stored vocabulary for notes-chords). */
export function tokenizerOf(manifest: ModelManifest): Tokenizer {
  const { name, vocabulary } = manifest.tokenizer;
  return getTokenizer(name, vocabulary === undefined ? undefined : NotesChordsVocabulary.fromJSON(vocabulary));
}
