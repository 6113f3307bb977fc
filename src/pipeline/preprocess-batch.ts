import { performance } from 'node:perf_hooks';
import { listEntryMetas, loadVocabulary } from '../dataset/dataset-store.js';
import { DatasetWriter } from '../dataset/dataset-writer.js';
import type { DatasetEntryMeta } from '../dataset/entry.js';
import type { PieceManifest } from '../dataset/piece-manifest.js';
import { computeSplit, DEFAULT_VALIDATION_FRACTION } from '../dataset/split.js';
import { digestOf } from '../dataset/tokenize-file.js';
import { adoptTokens, createTokenizePool, TokenizeWorkerError, type PooledResult, type TokenizePool } from '../dataset/tokenize-pool.js';
import { putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import { NotesChordsVocabulary } from '../tokens/notes-chords-vocabulary.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import { forEachInOrder } from './ordered-pipeline.js';
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

/** What one input turned into by the time its turn to be settled comes (in input order). */
type Outcome =
  | { kind: 'tokenized'; file: string; digest: string; pooled: PooledResult }
  | { kind: 'refused'; file: string; code: 'unreadable' | 'too-large' | 'internal-error'; message: string; digest?: string }
  /** An earlier input has the same bytes: not tokenized again. */
  | { kind: 'copy'; file: string; digest: string }
  | { kind: 'existing'; file: string; digest: string; meta: DatasetEntryMeta };

/** A batch under way: what the store held before it, and what it has settled so far. */
interface Batch {
  options: PreprocessOptions;
  pool: TokenizePool;
  /** The store's entries before this batch; with the ones it adds, what split.json divides (no second listing). */
  stored: DatasetEntryMeta[];
  storedByDigest: Map<string, DatasetEntryMeta>;
  vocabulary: NotesChordsVocabulary | undefined;
  writer: DatasetWriter;
  /** Lowest input index read so far with each digest: a later copy is not tokenized. */
  earliest: Map<string, number>;
  /** The report line of the first input (in input order) with each digest: later copies repeat it. */
  firstLine: Map<string, AcceptedFile | RejectedFile>;
  accepted: AcceptedFile[];
  rejected: RejectedFile[];
}

/** Files read ahead per worker; bounds the memory a batch holds (inputs are at most 16 MiB, performances ≈ 40 KiB). */
const FILES_IN_FLIGHT_PER_WORKER = 16;

/**
 * The batch preprocess use case: tokenizes every input into `tokens/` with worker threads, then writes `split.json`
 * and `report.json`. A bounded, ordered pipeline (read and tokenize ahead, settle in input order) feeds one
 * {@link DatasetWriter}, so ids, reports and the notes-chords vocabulary do not depend on which worker was faster.
 * Same bytes twice are processed once; entries already in the store are left as they are. A bad input is rejected
 * with its reason and the batch goes on.
 *
 * @example const report = await preprocessBatch({ files, read, store: new FsStore('data'), tokenizer: 'performance', jobs: 2 });
 */
export async function preprocessBatch(options: PreprocessOptions): Promise<PreprocessReport> {
  const started = performance.now();
  const batch = await openBatch(options);
  try {
    // Settling goes in input order, so one long performance holds the files after it: with 4 files in flight per
    // worker, 2 workers were no faster than one.
    const inFlight = batch.pool.workers * FILES_IN_FLIGHT_PER_WORKER;
    await forEachInOrder(options.files, inFlight, (file, index) => startInput(batch, file, index), async (outcome, _, index) => {
      const line = await settle(batch, outcome);
      if ('code' in line) batch.rejected.push(line);
      else batch.accepted.push(line);
      options.onFile?.(index + 1, options.files.length, outcome.file);
    });
    await batch.writer.finish();
  } finally {
    await batch.pool.close();
  }
  const added = batch.accepted.filter((line) => line.duplicateOf === undefined && !line.existing);
  const metas = [...batch.stored, ...added].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  await putJson(options.store, 'split.json', computeSplit(metas, options.validationFraction ?? DEFAULT_VALIDATION_FRACTION));
  const report = reportOf(batch, (performance.now() - started) / 1000);
  await putJson(options.store, 'report.json', report);
  return report;
}

/** Starts the workers while the store is listed: each start costs 50–100 ms, as much as listing a large store. */
async function openBatch(options: PreprocessOptions): Promise<Batch> {
  const { store } = options;
  const [pool, stored, storedVocabulary] = await Promise.allSettled([
    createTokenizePool({ jobs: options.jobs, tokenizer: options.tokenizer }),
    listEntryMetas(store, TOKENS_PREFIX),
    options.tokenizer === 'notes-chords' ? loadVocabulary(store, TOKENS_PREFIX) : Promise.resolve(undefined),
  ]);
  if (pool.status === 'rejected') throw pool.reason;
  if (stored.status === 'rejected' || storedVocabulary.status === 'rejected') {
    await pool.value.close();
    throw stored.status === 'rejected' ? stored.reason : (storedVocabulary as PromiseRejectedResult).reason;
  }
  const vocabulary = options.tokenizer === 'notes-chords' ? (storedVocabulary.value ?? new NotesChordsVocabulary()) : undefined;
  return {
    options,
    pool: pool.value,
    stored: stored.value,
    storedByDigest: new Map(stored.value.map((meta) => [meta.digest, meta])),
    vocabulary,
    writer: new DatasetWriter(store, TOKENS_PREFIX, vocabulary),
    earliest: new Map(),
    firstLine: new Map(),
    accepted: [],
    rejected: [],
  };
}

/** Reads one input and, unless an earlier input or the store already has its bytes, tokenizes it in a worker. */
async function startInput(batch: Batch, file: string, index: number): Promise<Outcome> {
  const read = await batch.options.read(file);
  if (!read.ok) return { kind: 'refused', file, code: read.code, message: read.message };
  const digest = digestOf(read.bytes);
  // Reads end in any order: an input whose earlier copy is read later is tokenized too, and still settled as the copy.
  if ((batch.earliest.get(digest) ?? index) < index) return { kind: 'copy', file, digest };
  batch.earliest.set(digest, index);
  const stored = batch.storedByDigest.get(digest);
  if (stored) return { kind: 'existing', file, digest, meta: stored };
  const piece = batch.options.pieces?.pieceOf({ digest, source: file });
  try {
    return { kind: 'tokenized', file, digest, pooled: await batch.pool.tokenize(read.bytes, file, piece) };
  } catch (error) {
    // A bug, not a bad file: report it against the file and carry on with the batch.
    if (!(error instanceof TokenizeWorkerError)) throw error;
    return { kind: 'refused', file, code: 'internal-error', message: `${file}: ${error.message}`, digest };
  }
}

/** One input's report line, in input order: the first input with some bytes decides, its copies repeat it. */
async function settle(batch: Batch, outcome: Outcome): Promise<AcceptedFile | RejectedFile> {
  const first = outcome.digest === undefined ? undefined : batch.firstLine.get(outcome.digest);
  if (first) return 'code' in first ? { ...first, file: outcome.file, message: `${first.message} (same bytes as ${first.file})` } : { ...first, file: outcome.file, duplicateOf: first.file };
  // A copy's earlier input settled before it (input order), so this is a bug, not a bad file.
  if (outcome.kind === 'copy') throw new Error(`${outcome.file}: the earlier input with its bytes was never settled`);
  const line = await firstLineOf(batch, outcome);
  if (outcome.digest !== undefined) batch.firstLine.set(outcome.digest, line);
  return line;
}

async function firstLineOf(batch: Batch, outcome: Exclude<Outcome, { kind: 'copy' }>): Promise<AcceptedFile | RejectedFile> {
  switch (outcome.kind) {
    case 'refused':
      return { file: outcome.file, code: outcome.code, message: outcome.message };
    case 'existing':
      return { ...acceptedLine(outcome.file, outcome.meta), existing: true };
    case 'tokenized': {
      const { result, workerSymbols } = outcome.pooled;
      if (!result.ok) return { file: outcome.file, code: result.code, message: result.message };
      if (batch.vocabulary && workerSymbols) adoptTokens(result.tokens, workerSymbols, batch.vocabulary);
      const composer = batch.options.pieces?.composerOf({ digest: result.meta.digest, source: outcome.file });
      await batch.writer.add(composer ? { tokens: result.tokens, meta: { ...result.meta, composer } } : result);
      return acceptedLine(outcome.file, result.meta);
    }
  }
}

function reportOf(batch: Batch, seconds: number): PreprocessReport {
  const { accepted, rejected, options } = batch;
  return {
    schemaVersion: 1,
    tokenizer: options.tokenizer,
    jobs: batch.pool.workers,
    totals: {
      files: options.files.length,
      accepted: accepted.length,
      rejected: rejected.length,
      duplicates: accepted.filter((line) => line.duplicateOf !== undefined).length,
      notes: sum(accepted, 'notes'),
      musicSeconds: sum(accepted, 'seconds'),
      events: sum(accepted, 'events'),
      seconds,
    },
    accepted,
    rejected,
  };
}

function acceptedLine(file: string, meta: DatasetEntryMeta): AcceptedFile {
  const { digest, notes, seconds, events, piece } = meta;
  return { file, digest, notes, seconds, events, ...(piece !== undefined ? { piece } : {}) };
}

/** Totals count each stored file once: duplicates add nothing. */
function sum(lines: readonly AcceptedFile[], field: 'notes' | 'seconds' | 'events'): number {
  return lines.reduce((total, line) => total + (line.duplicateOf === undefined ? line[field] : 0), 0);
}
