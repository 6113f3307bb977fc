import { z } from 'zod';
import type { NoteSequence } from '../midi/note-sequence.js';
import { REST_SYMBOL, chordSymbol, isChordSymbol, stepChords, symbolPitches } from './chord-symbols.js';
import { VocabularyError } from './vocabulary-error.js';

/** A sixteenth note at 120 bpm, which is also the tutorial's 1/8 s grid. */
export const DEFAULT_STEP_SECONDS = 0.125;
/** Velocity of every decoded note (the tutorial vocabulary has no dynamics). */
export const DEFAULT_NOTES_CHORDS_VELOCITY = 64;
/** Token files hold Uint16 ids. */
export const MAX_NOTES_CHORDS_SYMBOLS = 65_536;

export interface NotesChordsOptions {
  /** Grid step; onsets are rounded to it. Default {@link DEFAULT_STEP_SECONDS}. */
  stepSeconds?: number;
  /** Velocity of decoded notes. Default {@link DEFAULT_NOTES_CHORDS_VELOCITY}. */
  velocity?: number;
  /** Most symbols the vocabulary may hold, rest included (≤ 65 536). Later symbols map to the nearest known one. */
  maxSymbols?: number;
  /** Build only: symbols seen fewer times are left out (they encode to the nearest known one). Default 1. */
  minCount?: number;
}

const vocabularyJson = z.object({
  kind: z.literal('notes-chords'),
  version: z.literal(1),
  stepSeconds: z.number().positive().max(60),
  velocity: z.number().int().min(1).max(127),
  maxSymbols: z.number().int().min(1).max(MAX_NOTES_CHORDS_SYMBOLS),
  symbols: z.array(z.string()).min(1),
});

/** The stored form of a vocabulary: `symbols[id]` is the symbol of id, `symbols[0]` is always 'rest'. */
export type NotesChordsVocabularyJson = z.infer<typeof vocabularyJson>;

/**
 * Symbol ⇄ id table of the notes-chords tokenizer, built from the data and stored with it as JSON.
 * Append-only: ids already handed out never change, so token files stay valid as the vocabulary grows.
 */
export class NotesChordsVocabulary {
  readonly stepSeconds: number;
  readonly velocity: number;
  readonly maxSymbols: number;
  private readonly symbols: string[] = [];
  private readonly pitches: number[][] = [];
  private readonly ids = new Map<string, number>();

  constructor(options: Omit<NotesChordsOptions, 'minCount'> = {}) {
    const checked = vocabularyJson.omit({ symbols: true }).safeParse({
      kind: 'notes-chords',
      version: 1,
      stepSeconds: options.stepSeconds ?? DEFAULT_STEP_SECONDS,
      velocity: options.velocity ?? DEFAULT_NOTES_CHORDS_VELOCITY,
      maxSymbols: options.maxSymbols ?? MAX_NOTES_CHORDS_SYMBOLS,
    });
    if (!checked.success) throw new VocabularyError(`bad notes-chords options: ${z.prettifyError(checked.error)}`);
    const { stepSeconds, velocity, maxSymbols } = checked.data;
    this.stepSeconds = stepSeconds;
    this.velocity = velocity;
    this.maxSymbols = maxSymbols;
    this.add(REST_SYMBOL);
  }

  /**
   * A vocabulary from its stored JSON (parsed or text), checked: throws {@link VocabularyError} naming the problem.
   * @example NotesChordsVocabulary.fromJSON(await readFile('vocabulary.json', 'utf8'))
   */
  static fromJSON(value: unknown): NotesChordsVocabulary {
    let json = value;
    if (typeof value === 'string') {
      try {
        json = JSON.parse(value);
      } catch (error) {
        throw new VocabularyError(`notes-chords vocabulary is not JSON: ${(error as Error).message}`);
      }
    }
    const parsed = vocabularyJson.safeParse(json);
    if (!parsed.success) throw new VocabularyError(`not a notes-chords vocabulary: ${z.prettifyError(parsed.error)}`);
    const { symbols, ...options } = parsed.data;
    if (symbols[0] !== REST_SYMBOL) throw new VocabularyError(`symbol 0 must be '${REST_SYMBOL}', got '${symbols[0]}'`);
    if (symbols.length > options.maxSymbols) {
      throw new VocabularyError(`${symbols.length} symbols exceed maxSymbols ${options.maxSymbols}`);
    }
    const vocabulary = new NotesChordsVocabulary(options);
    for (let id = 1; id < symbols.length; id++) {
      const symbol = symbols[id];
      if (!isChordSymbol(symbol)) throw new VocabularyError(`symbol ${id} '${symbol}' is not a note or chord`);
      if (vocabulary.add(symbol) !== id) throw new VocabularyError(`symbol ${id} '${symbol}' appears twice`);
    }
    return vocabulary;
  }

  /** Number of ids in use, rest included. */
  get size(): number {
    return this.symbols.length;
  }

  get isFull(): boolean {
    return this.symbols.length >= this.maxSymbols;
  }

  idOf(symbol: string): number | undefined {
    return this.ids.get(symbol);
  }

  symbolOf(id: number): string | undefined {
    return this.symbols[id];
  }

  /** Ascending pitches of id; [] for rest and for ids outside the vocabulary. */
  pitchesOf(id: number): readonly number[] {
    return this.pitches[id] ?? [];
  }

  /** Id of symbol, appending it when new and there is room; undefined when the vocabulary is full. */
  add(symbol: string): number | undefined {
    const known = this.ids.get(symbol);
    if (known !== undefined || this.isFull) return known;
    const id = this.symbols.length;
    this.symbols.push(symbol);
    this.pitches.push(symbolPitches(symbol));
    this.ids.set(symbol, id);
    return id;
  }

  toJSON(): NotesChordsVocabularyJson {
    const { stepSeconds, velocity, maxSymbols } = this;
    return { kind: 'notes-chords', version: 1, stepSeconds, velocity, maxSymbols, symbols: [...this.symbols] };
  }
}

/**
 * A vocabulary from a corpus: symbols seen at least `minCount` times, most frequent first (ties: first seen first),
 * at most `maxSymbols` of them.
 * @example const vocabulary = buildNotesChordsVocabulary(sequences, { minCount: 2 });
 */
export function buildNotesChordsVocabulary(
  sequences: Iterable<NoteSequence>,
  options: NotesChordsOptions = {},
): NotesChordsVocabulary {
  const vocabulary = new NotesChordsVocabulary(options);
  const counts = new Map<string, number>();
  for (const sequence of sequences) {
    for (const chord of stepChords(sequence, vocabulary.stepSeconds)) {
      if (chord.length === 0) continue;
      const symbol = chordSymbol(chord);
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
  }
  const minCount = options.minCount ?? 1;
  // Array.prototype.sort is stable, so equal counts keep Map insertion (first-seen) order.
  const ranked = [...counts].filter(([, count]) => count >= minCount).sort((a, b) => b[1] - a[1]);
  for (const [symbol] of ranked) if (vocabulary.add(symbol) === undefined) break;
  return vocabulary;
}

/**
 * Appends the symbols of one more piece, in order of first appearance, while there is room; existing ids stay valid.
 * Mutates `vocabulary`; returns how many symbols were added.
 * @example for (const file of files) extendVocabulary(vocabulary, await parse(file));
 */
export function extendVocabulary(vocabulary: NotesChordsVocabulary, sequence: NoteSequence): number {
  const before = vocabulary.size;
  for (const chord of stepChords(sequence, vocabulary.stepSeconds)) {
    if (vocabulary.isFull) break;
    vocabulary.add(chordSymbol(chord));
  }
  return vocabulary.size - before;
}
