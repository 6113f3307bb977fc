import { DamagedModelFileError, loadModel, ModelFilesError, modelFileNames, type LoadedModel } from '../model/model-files.js';
import { tokenizerOf } from '../model/model-tokenizer.js';
import { createSampler, type Sampler } from '../model/sampler.js';
import { silentLog, type PipelineLog } from '../log/log.js';
import type { Store } from '../store/store.js';
import type { Tokenizer } from '../tokens/index.js';
import { VocabularyError } from '../tokens/vocabulary-error.js';
import type { LatestPointer } from './contracts.js';
import { keys } from './keys.js';
import { readLatest } from './latest-pointer.js';
import { modelNotFound, noModel } from './request-errors.js';
import { incumbentRunId } from './shipped-models.js';

/** A model ready to sample from. */
export interface ServedModel {
  runId: string;
  model: LoadedModel;
  tokenizer: Tokenizer;
  sampler: Sampler;
  /** Set when this is the shipped model playing in place of a damaged one: that run, and what is wrong with it. */
  standsInFor?: DamagedModel;
}

/** A model that could not be read, which the shipped model stood in for. */
export interface DamagedModel {
  runId: string;
  /** The damaged object (the model's folder when the files disagree with each other), and what is wrong with it. */
  key: string;
  reason: string;
}

export interface ModelCacheOptions {
  /** Read `models/latest.json` at most this often, so a warm call usually costs no bucket request. Default 5 s. */
  pointerTtlMs?: number;
  /** Models kept loaded (the latest and a named one or two). Default 2. */
  capacity?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Where an unreadable `models/latest.json` is reported. */
  log?: PipelineLog;
}

/**
 * The models a long-lived process (a warm Lambda, the local server) samples from: each loaded once, the newest
 * followed through `models/latest.json`, a few kept in least-recently-used order.
 *
 * @example
 * const cache = new ModelCache(store);
 * const { runId, sampler } = await cache.get('latest');
 */
export class ModelCache {
  private readonly pointerTtlMs: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly log: PipelineLog;
  /** Keyed by runId + publishedAt, so republishing a runId loads it again. Map order is recency. */
  private readonly loaded = new Map<string, Promise<ServedModel>>();
  private pointer: { value: LatestPointer | undefined; readAt: number } | undefined;
  /** Counts {@link forgetLatest} calls, so a pointer read that began before one is not kept. */
  private forgotten = 0;

  constructor(
    private readonly store: Store,
    options: ModelCacheOptions = {},
  ) {
    this.pointerTtlMs = options.pointerTtlMs ?? 5000;
    this.capacity = options.capacity ?? 2;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLog;
  }

  /** `models/latest.json`, re-read once it is older than the TTL; undefined when nothing (readable) is published. */
  async latest(): Promise<LatestPointer | undefined> {
    const now = this.now();
    if (this.pointer && now - this.pointer.readAt < this.pointerTtlMs) return this.pointer.value;
    const forgotten = this.forgotten;
    const { pointer } = await readLatest(this.store, this.log);
    // Read before the promotion we were told of, it may be the old pointer: good for this request, not for the TTL.
    if (forgotten === this.forgotten) this.pointer = { value: pointer, readAt: now };
    return pointer;
  }

  /** Forgets the pointer read, so the next request follows a promotion made through this process at once. */
  forgetLatest(): void {
    this.pointer = undefined;
    this.forgotten += 1;
  }

  /**
   * The model called `name` ('latest' or a runId). Throws a {@link RequestError}: `no-model` (503) when
   * 'latest' is asked for and nothing is published (or the model and the shipped one are both unreadable),
   * `model-not-found` (404) for an unknown runId. A model whose files are damaged is served as the shipped model.
   */
  async get(name: string): Promise<ServedModel> {
    if (name === 'latest') {
      const pointer = await this.latest();
      if (!pointer) throw noModel('no model is published (models/latest.json is absent or unreadable); upload MIDI files and let training finish, or promote a model');
      return this.load(pointer.runId, `${pointer.runId}@${pointer.publishedAt}`);
    }
    return this.load(name, name);
  }

  private load(runId: string, cacheKey: string): Promise<ServedModel> {
    let entry = this.loaded.get(cacheKey);
    if (entry) {
      this.loaded.delete(cacheKey);
    } else {
      entry = this.readOrShipped(runId);
      // A failed load is not remembered: the next request tries again.
      entry.catch(() => this.loaded.get(cacheKey) === entry && this.loaded.delete(cacheKey));
    }
    this.loaded.set(cacheKey, entry);
    while (this.loaded.size > this.capacity) this.loaded.delete(this.loaded.keys().next().value!);
    return entry;
  }

  /**
   * A damaged model must not stop the music: the shipped model (`default`) is served in its place, saying so in
   * `standsInFor` for the caller to log (the local server samples in workers, whose cache has no log of the server's).
   * Cached under the damaged model's key, the files are read once, not per request.
   */
  private async readOrShipped(runId: string): Promise<ServedModel> {
    try {
      return await this.read(runId);
    } catch (error) {
      if (!(error instanceof ModelFilesError || error instanceof VocabularyError)) throw error;
      const unreadable = `model "${runId}" is unreadable (${error.message})`;
      if (runId === incumbentRunId) throw noModel(`${unreadable}; publish or promote another model`);
      const shipped = await this.read(incumbentRunId).catch((fallback: unknown) => {
        throw noModel(`${unreadable}, and the shipped model cannot stand in: ${fallback instanceof Error ? fallback.message : String(fallback)}`);
      });
      const damage = error instanceof DamagedModelFileError ? { key: error.key, reason: error.reason } : { key: keys.modelPrefix(runId), reason: error.message };
      return { ...shipped, standsInFor: { runId, ...damage } };
    }
  }

  private async read(runId: string): Promise<ServedModel> {
    const prefix = keys.modelPrefix(runId);
    if (!(await this.store.head(prefix + modelFileNames.manifest))) {
      throw modelNotFound(`no model "${runId}" (${prefix}${modelFileNames.manifest} is absent); GET /models lists the published ones`);
    }
    const model = await loadModel(this.store, prefix);
    const tokenizer = tokenizerOf(model.manifest);
    return { runId, model, tokenizer, sampler: createSampler(model, tokenizer) };
  }
}
