import { performance } from 'node:perf_hooks';
import { entryKeys, listEntryMetas, loadVocabulary, saveVocabulary, writeEntry } from '../dataset/dataset-store.js';
import type { DatasetEntryMeta } from '../dataset/entry.js';
import type { PieceManifest } from '../dataset/piece-manifest.js';
import { computeSplit, DEFAULT_VALIDATION_FRACTION } from '../dataset/split.js';
import { digestOf } from '../dataset/tokenize-file.js';
import { adoptTokens, createTokenizePool, TokenizeWorkerError, type PooledResult } from '../dataset/tokenize-pool.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import { NotesChordsVocabulary } from '../tokens/notes-chords-vocabulary.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import type { AcceptedFile, PreprocessReport, RejectedFile } from './preprocess-report.js';

/** Key prefix of the token files in the store. */
export const TOKENS_PREFIX = 'tokens/';

/** An input's bytes, or why it cannot be had (the batch goes on without it). */
export type InputRead = { ok: true; bytes: Uint8Array } | { ok: false; code: 'too-large' | 'unreadable'; message: string };

export interface PreprocessOptions {
  /** Names of the inputs, in the order they are settled (and reported). */
  files: readonly string[];
  /** Fetches one input (a local file for the CLI), refusing one over the MIDI size limit without reading it. */
  read(file: string): Promise<InputRead>;
  /** Where tokens/, split.json and report.json go. */
  store: Store;
  tokenizer: TokenizerName;
  /** Worker threads. */
  jobs: number;
  pieces?: PieceManifest;
  validationFraction?: number;
  /** Called after each file is settled, in input order. */
  onFile?(done: number, total: number, file: string): void;
}

type Outcome =
  | { kind: 'tokenized'; file: string; pooled: PooledResult }
  | { kind: 'refused'; file: string; code: 'unreadable' | 'too-large' | 'internal-error'; message: string }
  | { kind: 'duplicate'; file: string; of: string }
  | { kind: 'existing'; file: string; digest: string };

/** notes-chords: entries wait until the vocabulary holding their ids is stored, written in groups of this many. */
const VOCABULARY_FLUSH_ENTRIES = 64;

/** Files read ahead per worker; bounds the memory a batch holds (inputs are at most 16 MiB, performances ≈ 40 KiB). */
const FILES_IN_FLIGHT_PER_WORKER = 16;

/** Entry writes under way at once. */
const WRITES_IN_FLIGHT = 32;

/**
 * The batch preprocess use case: tokenizes every input into `tokens/` with worker threads, then writes `split.json`
 * and `report.json`. Inputs are read and settled in order, so ids, reports and the notes-chords vocabulary do not
 * depend on which worker was faster. Same bytes twice are processed once; entries already in the store are left as
 * they are. A bad input is rejected with its reason and the batch goes on.
 *
 * @example const report = await preprocessBatch({ files, read, store: new FsStore('data'), tokenizer: 'performance', jobs: 2 });
 */
export async function preprocessBatch(options: PreprocessOptions): Promise<PreprocessReport> {
  const started = performance.now();
  const { store } = options;
  // The workers start while the store is listed: each start costs 50–100 ms, as much as listing a large store.
  const starting = createTokenizePool({ jobs: options.jobs, tokenizer: options.tokenizer });
  starting.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
  // The store's entries before this batch; with the ones it adds, what split.json divides (no second listing).
  const [stored, storedVocabulary] = await Promise.all([
    listEntryMetas(store, TOKENS_PREFIX),
    options.tokenizer === 'notes-chords' ? loadVocabulary(store, TOKENS_PREFIX) : undefined,
  ]).catch(async (error: unknown) => {
    await (await starting.catch(() => undefined))?.close();
    throw error;
  });
  const existing = new Set(stored.map((meta) => meta.digest));
  const vocabulary = options.tokenizer === 'notes-chords' ? (storedVocabulary ?? new NotesChordsVocabulary()) : undefined;
  const pool = await starting;
  const claimed = new Map<string, string>(); // digest → first file with it
  // Claiming digests happens one file at a time, in input order (so the first of two copies is the one kept);
  // reading and tokenizing overlap.
  const claim = async (file: string, reading: Promise<InputRead>): Promise<Outcome | { kind: 'claimed'; file: string; bytes: Uint8Array; piece?: string }> => {
    const read = await reading;
    if (!read.ok) return { kind: 'refused', file, code: read.code, message: read.message };
    const { bytes } = read;
    const digest = digestOf(bytes);
    const first = claimed.get(digest);
    if (first !== undefined) return { kind: 'duplicate', file, of: first };
    claimed.set(digest, file);
    if (existing.has(digest)) return { kind: 'existing', file, digest };
    const piece = options.pieces?.pieceOf({ digest, source: file });
    return { kind: 'claimed', file, bytes, ...(piece !== undefined ? { piece } : {}) };
  };
  const tokenize = async (file: string, bytes: Uint8Array, piece: string | undefined): Promise<Outcome> => {
    try {
      return { kind: 'tokenized', file, pooled: await pool.tokenize(bytes, file, piece) };
    } catch (error) {
      // A bug, not a bad file: report it against the file and carry on with the batch.
      if (!(error instanceof TokenizeWorkerError)) throw error;
      return { kind: 'refused', file, code: 'internal-error', message: `${file}: ${error.message}` };
    }
  };

  const accepted: AcceptedFile[] = [];
  const rejected: RejectedFile[] = [];
  const outcomeOf = new Map<string, AcceptedFile | RejectedFile>();
  let unsaved: Array<{ meta: DatasetEntryMeta; tokens: Uint16Array }> = [];
  // Each write waits for its own fsync: one at a time, 400 entries took 1.5–4 s, longer than tokenizing them.
  const writes: Promise<unknown>[] = [];
  const flush = async () => {
    if (vocabulary && unsaved.length > 0) await saveVocabulary(store, TOKENS_PREFIX, vocabulary);
    for (const { meta, tokens } of unsaved) {
      const write = writeEntry(store, TOKENS_PREFIX, meta, tokens);
      write.catch(() => undefined); // awaited below, in order; this only keeps a failure from going unhandled meanwhile
      writes.push(write);
      if (writes.length >= WRITES_IN_FLIGHT) await writes.shift();
    }
    unsaved = [];
  };
  const finishWrites = async () => {
    while (writes.length > 0) await writes.shift();
  };
  const settle = async (outcome: Outcome) => {
    let line: AcceptedFile | RejectedFile;
    if (outcome.kind === 'refused') line = { file: outcome.file, code: outcome.code, message: outcome.message };
    else if (outcome.kind === 'duplicate') {
      const first = outcomeOf.get(outcome.of)!;
      line = 'code' in first ? { ...first, file: outcome.file, message: `${first.message} (same bytes as ${outcome.of})` } : { ...first, file: outcome.file, duplicateOf: outcome.of };
    } else if (outcome.kind === 'existing') {
      const meta = (await getJson<DatasetEntryMeta>(store, entryKeys(TOKENS_PREFIX, outcome.digest).meta))!;
      line = { ...acceptedLine(outcome.file, meta), existing: true };
    } else {
      const { result, workerSymbols } = outcome.pooled;
      if (!result.ok) line = { file: outcome.file, code: result.code, message: result.message };
      else {
        if (vocabulary && workerSymbols) adoptTokens(result.tokens, workerSymbols, vocabulary);
        const composer = options.pieces?.composerOf({ digest: result.meta.digest, source: outcome.file });
        unsaved.push(composer ? { ...result, meta: { ...result.meta, composer } } : result);
        if (!vocabulary || unsaved.length >= VOCABULARY_FLUSH_ENTRIES) await flush();
        line = acceptedLine(outcome.file, result.meta);
      }
    }
    if (!outcomeOf.has(outcome.file)) outcomeOf.set(outcome.file, line);
    if ('code' in line) rejected.push(line);
    else accepted.push(line);
  };

  try {
    // Files between being read and being settled, most of them waiting in or for a worker. Settling goes in input
    // order, so one long performance holds the files after it: with 4 per worker, 2 workers were no faster than one.
    const inFlight = pool.workers * FILES_IN_FLIGHT_PER_WORKER;
    const queue: Promise<Outcome>[] = [];
    let claiming = Promise.resolve<unknown>(undefined);
    let next = 0;
    const enqueue = () => {
      while (next < options.files.length && queue.length < inFlight) {
        const file = options.files[next++]!;
        const read = options.read(file);
        read.catch(() => undefined); // awaited by claim; this only keeps a failure from going unhandled meanwhile
        const claimedFile = claiming.then(() => claim(file, read));
        claiming = claimedFile.catch(() => undefined);
        const outcome = claimedFile.then((step) => (step.kind === 'claimed' ? tokenize(step.file, step.bytes, step.piece) : step));
        outcome.catch(() => undefined); // awaited in order below; this only keeps a failure from going unhandled meanwhile
        queue.push(outcome);
      }
    };
    enqueue();
    for (let done = 1; queue.length > 0; done++) {
      const outcome = await queue.shift()!;
      enqueue();
      await settle(outcome);
      options.onFile?.(done, options.files.length, outcome.file);
    }
    await flush();
    await finishWrites();
  } finally {
    await pool.close();
  }

  const added = accepted.filter((line) => line.duplicateOf === undefined && !line.existing);
  const metas = [...stored, ...added].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  await putJson(store, 'split.json', computeSplit(metas, options.validationFraction ?? DEFAULT_VALIDATION_FRACTION));
  const report: PreprocessReport = {
    schemaVersion: 1,
    tokenizer: options.tokenizer,
    jobs: pool.workers,
    totals: {
      files: options.files.length,
      accepted: accepted.length,
      rejected: rejected.length,
      duplicates: accepted.filter((line) => line.duplicateOf !== undefined).length,
      notes: sum(accepted, 'notes'),
      musicSeconds: sum(accepted, 'seconds'),
      events: sum(accepted, 'events'),
      seconds: (performance.now() - started) / 1000,
    },
    accepted,
    rejected,
  };
  await putJson(store, 'report.json', report);
  return report;
}

function acceptedLine(file: string, meta: DatasetEntryMeta): AcceptedFile {
  const { digest, notes, seconds, events, piece } = meta;
  return { file, digest, notes, seconds, events, ...(piece !== undefined ? { piece } : {}) };
}

/** Totals count each stored file once: duplicates add nothing. */
function sum(lines: readonly AcceptedFile[], field: 'notes' | 'seconds' | 'events'): number {
  return lines.reduce((total, line) => total + (line.duplicateOf === undefined ? line[field] : 0), 0);
}
