import type { MidiLimits } from '../midi/midi-limits.js';
import { nearestKnownId } from '../tokens/notes-chords.js';
import type { NotesChordsVocabulary } from '../tokens/notes-chords-vocabulary.js';
import { symbolPitches } from '../tokens/chord-symbols.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import { WorkerPool } from '../workers/worker-pool.js';
import type { TokenizedFile } from './tokenize-file.js';

export interface TokenizeWorkerSetup {
  tokenizer: TokenizerName;
  limits?: Partial<MidiLimits>;
}
export interface TokenizeRequest {
  bytes: Uint8Array;
  source: string;
  piece?: string;
}
export interface TokenizeReply {
  result: TokenizedFile;
  /** notes-chords: the symbols the worker's vocabulary gained since its previous reply… */
  newSymbols: string[];
  /** …and the id of the first of them (0 from a worker that replaced one that crashed). */
  symbolsFrom: number;
}

/** A worker failed on a file in a way no MIDI error explains (a bug, or the worker died). */
export class TokenizeWorkerError extends Error {
  override readonly name = 'TokenizeWorkerError';
}

/** A file tokenized in a worker. notes-chords ids are still the worker's own: pass it through {@link adoptTokens}. */
export interface PooledResult {
  result: TokenizedFile;
  /** notes-chords: the worker's symbol table (append-only) that the ids index. */
  workerSymbols?: readonly string[];
}

/** Worker threads that tokenize MIDI files in parallel. */
export interface TokenizePool {
  readonly workers: number;
  /** Tokenizes `bytes` in the worker with the fewest bytes queued; the buffer is transferred (unusable afterwards). */
  tokenize(bytes: Uint8Array, source: string, piece?: string): Promise<PooledResult>;
  close(): Promise<void>;
}

/**
 * Starts `jobs` worker threads running {@link tokenizeMidiFile}.
 * @example
 * const pool = await createTokenizePool({ jobs: 2, tokenizer: 'performance' });
 * const { result } = await pool.tokenize(bytes, 'a.mid');
 * await pool.close();
 */
export async function createTokenizePool(options: { jobs: number; tokenizer: TokenizerName; limits?: Partial<MidiLimits> }): Promise<TokenizePool> {
  const setup: TokenizeWorkerSetup = { tokenizer: options.tokenizer, ...(options.limits ? { limits: options.limits } : {}) };
  const pool = await WorkerPool.start<TokenizeRequest, TokenizeReply>({
    entry: 'tokenize',
    size: options.jobs,
    workerData: () => setup,
    toError: (failure) => new TokenizeWorkerError(failure.message),
  });
  // Each worker's symbol table, mirrored from its replies (a replaced worker starts a new table).
  const symbols = Array.from({ length: pool.size }, (): string[] => []);
  return {
    workers: pool.size,
    async tokenize(bytes, source, piece) {
      // Transfer moves the whole ArrayBuffer: give the worker one that holds exactly these bytes.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      // Weighed by bytes: performances range from 2 KiB to 1 MiB, and counting requests left one worker idle while
      // the other worked through a queue of long ones.
      const cost = own.byteLength;
      const worker = pool.leastBusy();
      const request: TokenizeRequest = { bytes: own, source, ...(piece !== undefined ? { piece } : {}) };
      const reply = await pool.request(request, { worker, cost, transfer: [own.buffer as ArrayBuffer] });
      // A new table for a replaced worker: results still waiting for adoptTokens keep the table their ids index.
      if (reply.symbolsFrom < symbols[worker]!.length) symbols[worker] = symbols[worker]!.slice(0, reply.symbolsFrom);
      symbols[worker]!.push(...reply.newSymbols);
      return { result: reply.result, ...(options.tokenizer === 'notes-chords' ? { workerSymbols: symbols[worker]! } : {}) };
    },
    close: () => pool.close(),
  };
}

/**
 * notes-chords: rewrites worker-local ids (in place) as ids of `vocabulary`, appending the symbols it lacks. Call it in
 * input order and the dataset's ids do not depend on which worker took which file; a full vocabulary maps a new
 * symbol to its nearest known sub-chord, as encoding does.
 */
export function adoptTokens(tokens: Uint16Array, workerSymbols: readonly string[], vocabulary: NotesChordsVocabulary): void {
  const mapped = new Map<number, number>();
  for (let i = 0; i < tokens.length; i++) {
    const local = tokens[i]!;
    let id = mapped.get(local);
    if (id === undefined) {
      const symbol = workerSymbols[local]!;
      id = vocabulary.add(symbol) ?? nearestKnownId(vocabulary, symbolPitches(symbol));
      mapped.set(local, id);
    }
    tokens[i] = id;
  }
}
