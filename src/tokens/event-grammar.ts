/** What the sampler's grammar is told about the piece it keeps in shape. */
export interface GrammarOptions {
  /** A note sounding this long is ended by the grammar itself. */
  maxNoteSeconds: number;
  /** While this many notes sound, a NOTE_ON of a silent pitch is not drawn (absent: no cap). */
  maxPolyphony?: number;
  /** A key is not struck again sooner than this after it was last struck (absent: the next time step). */
  minRestrikeSeconds?: number;
  /** While no note sounds, time moves on at most this far before a note is struck (absent: no cap). */
  maxSilenceSeconds?: number;
}

/**
 * The rules of a vocabulary's event stream, tracked while sampling: which ids may be drawn now, and which ids come
 * next whatever the model says. Every id that goes into the piece — primer, drawn or forced — passes through it.
 */
export interface EventGrammar {
  /** 1 for each id the model may draw now, 0 for an id that would break the grammar. Updated by observe/accept. */
  readonly allowed: Uint8Array;
  /**
   * Ranges [start, end) of ids that are one kind of event (NOTE_OFFs): the chance the model gives an id the grammar
   * forbids in a range goes to the range's allowed ids, in proportion, so the kind of event the model asked for
   * keeps its chance (a NOTE_OFF of a silent pitch means "end a note": one that sounds ends instead).
   */
  readonly sameKind?: ReadonlyArray<readonly [start: number, end: number]>;
  /**
   * Per id: where the chance of an id the grammar forbids now goes instead (-1: spread over every allowed id). Read
   * only for forbidden ids; the target is always allowed (a key struck too soon: the wait until it may be struck).
   */
  readonly redirect?: Int16Array;
  /** Forgets the piece: no note sounds, the clock is at 0. */
  reset(): void;
  /** Takes an id into the state as it is (a primer's ids, which are already in the piece). */
  observe(id: number): void;
  /**
   * Takes a drawn or forced id into the piece and returns the id to emit in its place: the same id, or the first
   * part of it when the grammar must act in between (the rest is then returned by {@link forced}).
   */
  accept(id: number): number;
  /** The id the grammar emits now without asking the model, or -1 to draw. */
  forced(): number;
}
