import type { Store } from '../store/store.js';
import type { NotesChordsVocabulary } from '../tokens/notes-chords-vocabulary.js';
import { saveVocabulary, writeEntry, type DatasetEntry } from './dataset-store.js';

/** Entry writes under way at once. Each waits for its own fsync: one at a time, 400 entries took 1.5–4 s, longer than tokenizing them. */
const WRITES_IN_FLIGHT = 32;

/** notes-chords: entries wait until the vocabulary holding their ids is stored, written in groups of this many. */
const VOCABULARY_FLUSH_ENTRIES = 64;

/** One write's end: settled promises are queued, so a failure waits, unhandled by nobody, until its turn. */
type WriteEnd = { ok: true; digest: string; written: boolean } | { ok: false; error: unknown };

/**
 * Writes dataset entries under one prefix, the one way every preprocess path does (the batch and each upload): each
 * entry content-addressed by {@link writeEntry} (tokens, then the sidecar; an entry already there is left as it is),
 * up to {@link WRITES_IN_FLIGHT} at once, in the order added. For notes-chords the vocabulary the ids index is stored
 * before any entry that uses it; entries wait in groups of {@link VOCABULARY_FLUSH_ENTRIES} so the vocabulary is not
 * rewritten per file. A failed write is thrown by the next `add` or by `finish`.
 *
 * @example
 * const writer = new DatasetWriter(store, 'tokens/', vocabulary);
 * for (const entry of entries) await writer.add(entry);
 * const written = await writer.finish(); // digests of the entries this writer stored
 */
export class DatasetWriter {
  private waiting: DatasetEntry[] = [];
  private readonly writes: Array<Promise<WriteEnd>> = [];
  private readonly written: string[] = [];

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
    /** notes-chords only: the (growing) vocabulary the entries' ids index. */
    private readonly vocabulary?: NotesChordsVocabulary,
  ) {}

  /** Queues the entry; resolves once it is under way (waiting, when the writes in flight are at their bound). */
  async add(entry: DatasetEntry): Promise<void> {
    this.waiting.push(entry);
    if (!this.vocabulary || this.waiting.length >= VOCABULARY_FLUSH_ENTRIES) await this.flush();
  }

  /** Writes what waits and waits for every write; resolves the digests of the entries stored (not those already there). */
  async finish(): Promise<string[]> {
    await this.flush();
    while (this.writes.length > 0) await this.settleOldest();
    return [...this.written];
  }

  private async flush(): Promise<void> {
    if (this.waiting.length === 0) return;
    if (this.vocabulary) await saveVocabulary(this.store, this.prefix, this.vocabulary);
    for (const { meta, tokens } of this.waiting.splice(0)) {
      const write = writeEntry(this.store, this.prefix, meta, tokens).then(
        (written): WriteEnd => ({ ok: true, digest: meta.digest, written }),
        (error: unknown): WriteEnd => ({ ok: false, error }),
      );
      this.writes.push(write);
      if (this.writes.length >= WRITES_IN_FLIGHT) await this.settleOldest();
    }
  }

  private async settleOldest(): Promise<void> {
    const end = await this.writes.shift()!;
    if (!end.ok) throw end.error;
    if (end.written) this.written.push(end.digest);
  }
}
