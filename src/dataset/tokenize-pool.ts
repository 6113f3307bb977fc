import { Worker } from 'node:worker_threads';
import type { MidiLimits } from '../midi/midi-limits.js';
import { nearestKnownId } from '../tokens/notes-chords.js';
import type { NotesChordsVocabulary } from '../tokens/notes-chords-vocabulary.js';
import { symbolPitches } from '../tokens/chord-symbols.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import type { TokenizedFile } from './tokenize-file.js';

export interface TokenizeWorkerSetup {
  tokenizer: TokenizerName;
  limits?: Partial<MidiLimits>;
}
export interface TokenizeRequest {
  id: number;
  bytes: Uint8Array;
  source: string;
  piece?: string;
}
export type TokenizeReply = { id: number; result: TokenizedFile; newSymbols: string[] } | { id: number; crash: string };

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
  /** Tokenizes `bytes` in the least busy worker; the buffer is transferred (unusable afterwards). */
  tokenize(bytes: Uint8Array, source: string, piece?: string): Promise<PooledResult>;
  close(): Promise<void>;
}

interface PoolWorker {
  worker: Worker;
  symbols: string[];
  busy: number;
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
  const pending = new Map<number, { resolve(value: PooledResult): void; reject(error: Error): void; owner: PoolWorker }>();
  const start = async (): Promise<PoolWorker> => {
    const owner: PoolWorker = { worker: new Worker(workerBootstrap(), { workerData: setup }), symbols: [], busy: 0 };
    await new Promise<void>((resolve, reject) => {
      owner.worker.once('message', () => resolve());
      owner.worker.once('error', reject);
    });
    owner.worker.on('message', (reply: TokenizeReply) => {
      const waiting = pending.get(reply.id)!;
      pending.delete(reply.id);
      owner.busy -= 1;
      if ('crash' in reply) return waiting.reject(new TokenizeWorkerError(reply.crash));
      owner.symbols.push(...reply.newSymbols);
      waiting.resolve({ result: reply.result, ...(options.tokenizer === 'notes-chords' ? { workerSymbols: owner.symbols } : {}) });
    });
    owner.worker.on('error', (error) => {
      for (const [id, waiting] of pending) if (waiting.owner === owner) pending.delete(id), waiting.reject(new TokenizeWorkerError(error.message));
    });
    return owner;
  };
  const workers = await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, start));
  let nextId = 0;
  return {
    workers: workers.length,
    tokenize(bytes, source, piece) {
      // Transfer moves the whole ArrayBuffer: give the worker one that holds exactly these bytes.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      const owner = workers.reduce((least, candidate) => (candidate.busy < least.busy ? candidate : least));
      const id = nextId++;
      owner.busy += 1;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, owner });
        const request: TokenizeRequest = { id, bytes: own, source, ...(piece !== undefined ? { piece } : {}) };
        owner.worker.postMessage(request, [own.buffer as ArrayBuffer]);
      });
    },
    async close() {
      await Promise.all(workers.map((owner) => owner.worker.terminate()));
    },
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

/**
 * Workers run the TypeScript sources through tsx whether the parent runs under tsx, vitest or plain node: a tiny ESM
 * bootstrap registers tsx in the worker, then imports the worker module (Node 20 ignores `--import` in workers).
 */
function workerBootstrap(): URL {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const workerModule = new URL('./tokenize-worker.ts', import.meta.url).href;
  const source = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(workerModule)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}
