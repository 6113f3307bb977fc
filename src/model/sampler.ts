import type { EventGrammar, GrammarOptions } from '../tokens/event-grammar.js';
import { controlLayout } from './controls/control-spec.js';
import { LstmCell, type LstmCellOptions } from './lstm-cell.js';
import type { LoadedModel } from './model-files.js';
import { SeededRandom } from './random.js';

/** When sampling stops; at least one must be given. */
export interface StopConditions {
  /** Stop after this many new events. */
  maxEvents?: number;
  /** Stop once the new events advance this many seconds of music (needs the tokenizer given to createSampler). */
  maxSeconds?: number;
  /** Epoch milliseconds after which generation stops with what it has. */
  deadline?: number;
}

/** How each id is drawn from the model's distribution. */
export interface Decoding {
  /** Softmax temperature; lower is safer, higher is wilder. */
  temperature: number;
  /** Keep only the k likeliest ids (0 = all). */
  topK: number;
  /** Keep the smallest set of likeliest ids whose probability reaches p (1 = all). */
  topP: number;
  seed: number;
}

/** Leans the drawn probabilities (e.g. toward a requested key) on top of what the model says. */
export interface Guidance {
  /** Per-id multipliers of the drawn probabilities (vocabulary-long; 1 = as the model says). */
  idWeights: ArrayLike<number>;
  /**
   * Id ranges [start, end) whose total chance the weights must not change: they only move chance between the ids of
   * such a range (e.g. louder rather than fewer VELOCITY events).
   */
  keepTotals?: ReadonlyArray<readonly [number, number]>;
}

/** Events fed through first, so the new events continue them. */
export interface PrimerInput {
  ids: ArrayLike<number>;
  /**
   * Control inputs fed with each primer id instead of the piece's `controls` (one per id, as a training window gives
   * them; see `primerControls`); the piece's controls then hold from the first new event on.
   */
  controls?: ReadonlyArray<Float32Array>;
}

export interface GenerateOptions {
  stop: StopConditions;
  decoding: Decoding;
  /** The tokenizer's event grammar and its limits (default {@link defaultRules}); false samples the model raw. */
  rules?: GrammarOptions | false;
  guidance?: Guidance;
  primer?: PrimerInput;
  /** Control inputs held for the whole piece, primer included (a model with controls; see `requestControls`). */
  controls?: Float32Array;
}

/**
 * Most new events per second of music a piece may take. The piano corpus averages ≈42 events per second, so ~5× that
 * leaves room for dense passages while a model that never emits a time shift still stops after a bounded amount of work.
 */
export const maxEventsPerSecond = 200;

/** Stop conditions for a piece of `seconds` of music, capped at {@link maxEventsPerSecond}. */
export function lengthInSeconds(seconds: number): { maxSeconds: number; maxEvents: number } {
  return { maxSeconds: seconds, maxEvents: Math.ceil(seconds * maxEventsPerSecond) };
}

/** Performance RNN's limit: a note held longer is a stuck key, not music. */
const defaultMaxNoteSeconds = 5;

/**
 * A pianist does not strike one key twice within 50 ms: in the 399 training performances 1 note in 10,000 follows the
 * previous strike of its key that closely; models/default without the rule did it for 2.8 notes in 100 (a buzz).
 */
const defaultMinRestrikeSeconds = 0.05;

/**
 * A pause, not a piece that stopped. Asked for slow, soft music the model fell silent for 3 s or more in 5 of 16 pieces
 * (once 8.5 s); real slow playing (at most 5 notes/s) holds a silence of 2 s in 11 % of its 30 s excerpts, 3 s in 3 %.
 */
const defaultMaxSilenceSeconds = 2;

/** The grammar's limits when a caller names none: what a pianist's hands and ears allow. */
export const defaultRules: Readonly<GrammarOptions> = {
  maxNoteSeconds: defaultMaxNoteSeconds,
  minRestrikeSeconds: defaultMinRestrikeSeconds,
  maxSilenceSeconds: defaultMaxSilenceSeconds,
};

/** What the sampler needs from the tokenizer: how far each id moves the clock, and the grammar its ids keep. */
export interface SamplerTokenizer {
  secondsOf(id: number): number;
  grammar?(options: GrammarOptions): EventGrammar;
}

export interface Sampler {
  /** The new events only (not the primer). Same options and seed → same events. */
  generate(options: GenerateOptions): Uint16Array;
}

export class SamplingError extends Error {
  override name = 'SamplingError';
}

/**
 * A sampler that runs the model one event at a time in JS (its matvecs in embedded wasm SIMD, see matvec.ts),
 * carrying the recurrent state. With the tokenizer's grammar, ids it forbids get probability 0 (in a `sameKind` range
 * their chance goes to the range's allowed ids, with a `redirect` to that id) and the rest are renormalised before
 * top-k / top-p, and ids it forces (a note ending at its cap) are fed to the model like drawn ones, so the model's
 * state knows the piece as written.
 * `cellOptions` exist for tests and benchmarks of the plain-JS fallback.
 *
 * @example
 * const sampler = createSampler(await loadModel(store, 'models/default/'), tokenizer);
 * const ids = sampler.generate({ stop: { maxEvents: 512 }, decoding: { temperature: 1, topK: 0, topP: 0.95, seed: 7 } });
 */
export function createSampler(
  model: LoadedModel,
  timing?: SamplerTokenizer,
  cellOptions?: LstmCellOptions,
): Sampler {
  const cell = new LstmCell(model.shape, model.parameters, { ...cellOptions, ...modelCellOptions(model) });
  const vocabSize = model.shape.vocabSize;
  const probabilities = new Float64Array(vocabSize);
  const candidates = new Int32Array(vocabSize);
  const byProbability = (a: number, b: number) => probabilities[b]! - probabilities[a]! || a - b;

  const drawNext = (options: Decoding, guidance: Guidance | undefined, random: SeededRandom, grammar: EventGrammar | undefined): number => {
    const logits = cell.logits;
    const allowed = grammar?.allowed;
    let maximum = -Infinity;
    for (let id = 0; id < vocabSize; id++) if (allowed === undefined || allowed[id] === 1) maximum = Math.max(maximum, logits[id]!);
    const chance = (id: number) => Math.exp(Math.min(700, (logits[id]! - maximum) / options.temperature));
    for (let id = 0; id < vocabSize; id++) probabilities[id] = allowed === undefined || allowed[id] === 1 ? chance(id) : 0;
    for (const [start, end] of grammar?.sameKind ?? []) {
      let kept = 0;
      let forbidden = 0;
      for (let id = start; id < end; id++) {
        if (allowed![id] === 1) kept += probabilities[id]!;
        else forbidden += chance(id);
      }
      const scale = (kept + forbidden) / kept;
      if (forbidden > 0 && Number.isFinite(scale)) for (let id = start; id < end; id++) probabilities[id]! *= scale;
    }
    const redirect = grammar?.redirect;
    if (redirect !== undefined) {
      for (let id = 0; id < vocabSize; id++) if (allowed![id] === 0 && redirect[id]! >= 0) probabilities[redirect[id]!]! += chance(id);
    }
    if (guidance !== undefined) applyWeights(probabilities, guidance.idWeights, guidance.keepTotals ?? []);
    let total = 0;
    for (let id = 0; id < vocabSize; id++) total += probabilities[id]!;
    if (options.topK === 0 && options.topP === 1) return pick(random.next() * total, vocabSize, (i) => i);

    // Only the likeliest ids need ranking. Every id below the floor is less likely than every id above it, so the
    // full ranking starts with the ranked candidates; lower the floor until they hold the top-k / top-p set.
    const limit = options.topK > 0 ? Math.min(options.topK, vocabSize) : vocabSize;
    let count = 0;
    for (let floor = 1e-3; ; floor = floor > 1e-12 ? floor * 1e-3 : 0) {
      count = 0;
      let candidateTotal = 0;
      for (let id = 0; id < vocabSize; id++) {
        if (probabilities[id]! >= floor) {
          candidates[count++] = id;
          candidateTotal += probabilities[id]!;
        }
      }
      if (floor === 0 || count >= limit || (options.topK === 0 && candidateTotal >= options.topP * total)) break;
    }
    // Ties go to the lower id, so a seed's piece never depends on the order ids arrived in.
    const ranked = candidates.subarray(0, count).sort(byProbability);
    const considered = Math.min(limit, count);
    if (options.topK > 0) {
      total = 0;
      for (let rank = 0; rank < considered; rank++) total += probabilities[ranked[rank]!]!;
    }
    let kept = 0;
    let cumulative = 0;
    while (kept < considered) {
      cumulative += probabilities[ranked[kept]!]!;
      kept += 1;
      if (cumulative >= options.topP * total) break;
    }
    return pick(random.next() * cumulative, kept, (rank) => ranked[rank]!);
  };

  /**
   * The id where the running sum of probabilities passes `threshold`, walking `count` ids in the given order; when
   * round-off leaves the sum short, the last id with a probability (never one the grammar masked).
   */
  const pick = (threshold: number, count: number, idAt: (index: number) => number): number => {
    let lastLikely = idAt(0);
    for (let index = 0; index < count; index++) {
      const id = idAt(index);
      threshold -= probabilities[id]!;
      if (threshold < 0) return id;
      if (probabilities[id]! > 0) lastLikely = id;
    }
    return lastLikely;
  };

  return {
    generate(options) {
      validate(options, timing !== undefined, vocabSize);
      const { stop, decoding, guidance, primer } = options;
      const random = new SeededRandom(decoding.seed);
      const rules = options.rules ?? defaultRules;
      const grammar = rules === false ? undefined : timing?.grammar?.(rules);
      cell.reset();
      cell.setControls(options.controls);
      // The primer's sounding notes carry into the grammar: they can be ended, and end at their cap.
      const primerIds = primer?.ids ?? [];
      for (let i = 0; i < primerIds.length; i++) {
        if (primer!.controls) cell.setControls(primer!.controls[i]);
        cell.step(primerIds[i]!);
        grammar?.observe(primerIds[i]!);
      }
      if (primer?.controls) cell.setControls(options.controls);
      const maxEvents = stop.maxEvents ?? Number.MAX_SAFE_INTEGER;
      const events: number[] = [];
      let seconds = 0;
      while (events.length < maxEvents) {
        if (events.length % 32 === 0 && stop.deadline !== undefined && Date.now() >= stop.deadline) break;
        let id = grammar?.forced() ?? -1;
        if (id === -1) id = drawNext(decoding, guidance, random, grammar);
        if (grammar) id = grammar.accept(id);
        events.push(id);
        if (stop.maxSeconds !== undefined) {
          seconds += timing!.secondsOf(id);
          if (seconds >= stop.maxSeconds) break;
        }
        cell.step(id);
      }
      return Uint16Array.from(events);
    },
  };
}

/** What the cell must know of a model beyond its weights: where its keyboard inputs go, if it has them. */
export function modelCellOptions(model: Pick<LoadedModel, 'manifest'>): LstmCellOptions {
  const controls = model.manifest.controls;
  return controls?.keyboard ? { keyboard: { spec: controls.keyboard, at: controlLayout(controls).keyboard } } : {};
}

function validate({ stop, decoding, rules, guidance, primer }: GenerateOptions, hasTiming: boolean, vocabSize: number): void {
  if (stop.maxEvents === undefined && stop.maxSeconds === undefined && stop.deadline === undefined) {
    throw new SamplingError('generate needs maxEvents, maxSeconds or a deadline, or it would never stop');
  }
  if (stop.maxSeconds !== undefined && !hasTiming) {
    throw new SamplingError('maxSeconds needs the tokenizer: createSampler(model, tokenizer)');
  }
  if (!(decoding.temperature > 0)) throw new SamplingError(`temperature must be > 0, got ${decoding.temperature}`);
  if (!(decoding.topP > 0 && decoding.topP <= 1)) throw new SamplingError(`topP must be in (0, 1], got ${decoding.topP}`);
  if (!(Number.isInteger(decoding.topK) && decoding.topK >= 0)) {
    throw new SamplingError(`topK must be a whole number ≥ 0, got ${decoding.topK}`);
  }
  if (rules) validateRules(rules);
  if (primer?.controls !== undefined && primer.controls.length !== primer.ids.length) {
    throw new SamplingError(`primer.controls must hold one vector per primer id (${primer.ids.length}), got ${primer.controls.length}`);
  }
  if (guidance !== undefined && guidance.idWeights.length !== vocabSize) {
    throw new SamplingError(`guidance.idWeights must hold one weight per id (${vocabSize}), got ${guidance.idWeights.length}`);
  }
}

function validateRules(rules: GrammarOptions): void {
  if (!(rules.maxNoteSeconds > 0)) throw new SamplingError(`maxNoteSeconds must be > 0, got ${rules.maxNoteSeconds}`);
  if (rules.minRestrikeSeconds !== undefined && !(rules.minRestrikeSeconds >= 0)) {
    throw new SamplingError(`minRestrikeSeconds must be ≥ 0, got ${rules.minRestrikeSeconds}`);
  }
  if (rules.maxSilenceSeconds !== undefined && !(rules.maxSilenceSeconds > 0)) {
    throw new SamplingError(`maxSilenceSeconds must be > 0, got ${rules.maxSilenceSeconds}`);
  }
  if (rules.maxPolyphony !== undefined && !(Number.isInteger(rules.maxPolyphony) && rules.maxPolyphony >= 1)) {
    throw new SamplingError(`maxPolyphony must be a whole number ≥ 1, got ${rules.maxPolyphony}`);
  }
}

/** Multiplies each probability by its weight; within each range of `keepTotals` the range's total stays as it was. */
function applyWeights(probabilities: Float64Array, weights: ArrayLike<number>, keepTotals: ReadonlyArray<readonly [number, number]>): void {
  const before = keepTotals.map(([start, end]) => sumRange(probabilities, start, end));
  for (let id = 0; id < probabilities.length; id++) probabilities[id]! *= weights[id]!;
  keepTotals.forEach(([start, end], index) => {
    const after = sumRange(probabilities, start, end);
    if (after > 0) for (let id = start; id < end; id++) probabilities[id]! *= before[index]! / after;
  });
}

function sumRange(values: Float64Array, start: number, end: number): number {
  let total = 0;
  for (let id = start; id < end; id++) total += values[id]!;
  return total;
}
