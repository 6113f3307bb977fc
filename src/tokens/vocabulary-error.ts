/** A notes-chords vocabulary that is missing or malformed; the message names what is wrong. */
export class VocabularyError extends Error {
  override readonly name = 'VocabularyError';
}
