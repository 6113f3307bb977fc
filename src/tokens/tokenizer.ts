import type { NoteSequence } from '../midi/note-sequence.js';
import type { EventGrammar, GrammarOptions } from './event-grammar.js';

export type TokenizerName = 'performance' | 'notes-chords';

export interface DecodeOptions {
  /** A note still sounding this long after its start ends there (absent: notes end where their ids say). */
  maxNoteSeconds?: number;
}

/** Turns a NoteSequence into token ids and back. decode() accepts any id sequence a model can emit, without throwing. */
export interface Tokenizer {
  readonly name: TokenizerName;
  readonly vocabSize: number;
  encode(sequence: NoteSequence): Uint16Array;
  decode(ids: ArrayLike<number>, options?: DecodeOptions): NoteSequence;
  /** Seconds of music that the ids advance (for length limits while sampling). */
  secondsOf(id: number): number;
  /** The rules its event stream keeps while sampling; absent when every id may follow every other. */
  grammar?(options: GrammarOptions): EventGrammar;
}
