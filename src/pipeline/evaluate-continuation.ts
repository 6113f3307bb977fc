import type { NoteSequence } from '../midi/note-sequence.js';
import { primerControls } from '../model/controls/primer-controls.js';
import { LstmCell } from '../model/lstm-cell.js';
import type { LoadedModel } from '../model/model-files.js';
import { createSampler, defaultRules, lengthInSeconds, modelCellOptions, type Decoding } from '../model/sampler.js';
import {
  continuationDistances,
  continuationMeasureNames,
  fractionOfTheWay,
  summarizeDistances,
  type ContinuationDistances,
} from '../music/continuation-measures.js';
import { continuationWindows, type ContinuationWindow, type ContinuationWindowOptions } from '../music/continuation-windows.js';
import { excerpt } from '../music/excerpts.js';
import { seam, summarizeSeams, type SeamSummary } from '../music/seam-measures.js';
import type { Tokenizer } from '../tokens/tokenizer.js';
import { planContinuation, type ContinuationRecipe } from './continuation-plan.js';
import { modelControlSpec } from './control-inputs.js';

/** Where primers are cut: a third of the way into a performance, at most 30 s in (past the opening, early enough for most). */
export const continuationWindowPlacement = { startFraction: 1 / 3, maxStartSeconds: 30 } as const;

export interface ContinuationEvaluationOptions extends ContinuationWindowOptions {
  /** How pieces without a primer are drawn (the model's own free decoding, as a request gets it). */
  free: Omit<Decoding, 'seed'>;
  /** How continuations are drawn (the model's `withPrimer` decoding). */
  continuing: Omit<Decoding, 'seed'>;
  /** Pieces drawn per window and set, each on its own seed: more seeds, less of one draw's luck in the medians. */
  seeds: number;
  maxNoteSeconds: number;
  /** The ways of continuing compared, by name (e.g. `followPrimer` on and off). */
  recipes: Record<string, ContinuationRecipe>;
}

/** One set of continuations (or the piece's own next window) summed up over the windows. */
export interface ContinuationSet {
  distances: ContinuationDistances;
  /** Per measure: how far from "without primer" toward "the piece's next window" (1 = as close as the piece). */
  fractionOfTheWay?: Record<keyof ContinuationDistances, number>;
  /** NLL of the true continuation, nats/event (the recipes and "without primer"). */
  nll?: number;
  seam?: SeamSummary;
}

export interface ContinuationReport {
  windows: number;
  seeds: number;
  primerSeconds: number;
  continuationSeconds: number;
  free: Omit<Decoding, 'seed'>;
  continuing: Omit<Decoding, 'seed'>;
  /** `withoutPrimer`, one entry per recipe, and `pieceNext` (the pianist's following window against the truth). */
  sets: Record<string, ContinuationSet>;
  /** Where each window came from (file index into the held-out list, primer start). */
  places: Array<{ file: number; startSeconds: number }>;
}

/**
 * The continuation report: `windows` primers cut from held-out performances, each continued by the model in every
 * recipe and written without a primer, and every continuation compared with what the pianist played next on six
 * measures; the piece's own following window is the target. Also the NLL of the true continuation with and without
 * the primer (the model must use it), and the seam.
 *
 * @example
 * const report = evaluateContinuation(model, tokenizer, heldOutSequences, { windows: 60, primerSeconds: 8, continuationSeconds: 20, … });
 */
export function evaluateContinuation(
  model: LoadedModel,
  tokenizer: Tokenizer,
  performances: readonly NoteSequence[],
  options: ContinuationEvaluationOptions,
): ContinuationReport {
  const windows = continuationWindows(performances, options);
  const sampler = createSampler(model, tokenizer);
  const spec = modelControlSpec(model.manifest);
  const stop = lengthInSeconds(options.continuationSeconds);
  const rules = (maxNoteSeconds: number) => ({ ...defaultRules, maxNoteSeconds });
  const seconds = options.continuationSeconds;
  // Every (window, seed) pair, seed 1 … windows for the first round: one seed gives the pieces it always gave.
  const draws = Array.from({ length: options.seeds }, (_, round) => windows.map((window, index) => ({ window, seed: round * windows.length + index + 1 }))).flat();

  const withoutPrimer = draws.map(({ seed }) =>
    tokenizer.decode(sampler.generate({ stop, decoding: { ...options.free, seed }, rules: rules(options.maxNoteSeconds) }), { maxNoteSeconds: options.maxNoteSeconds }),
  );
  const sets: Record<string, ContinuationSet> = {
    withoutPrimer: { distances: summarize(withoutPrimer, draws, seconds), nll: meanNll(model, tokenizer, windows, undefined) },
  };
  for (const [name, recipe] of Object.entries(options.recipes)) {
    const continuations = draws.map(({ window, seed }) => {
      const plan = planContinuation(spec, tokenizer, window.primer, undefined, recipe, options.maxNoteSeconds);
      const events = sampler.generate({ stop, decoding: { ...options.continuing, seed }, rules: rules(plan.maxNoteSeconds), ...plan.sampling });
      return continuationOf(tokenizer, plan.primer, events, plan.maxNoteSeconds, seconds);
    });
    const joins = continuations.map((continuation, index) => seam(draws[index]!.window.primer, continuation.notes, continuation.startsAt));
    sets[name] = {
      distances: summarize(continuations.map((continuation) => continuation.notes), draws, seconds),
      nll: meanNll(model, tokenizer, windows, recipe),
      seam: summarizeSeams(joins),
    };
  }
  sets.pieceNext = {
    distances: summarize(windows.map((window) => window.following), windows.map((window) => ({ window })), seconds),
    seam: summarizeSeams(windows.map((window) => seam(window.primer, window.truth))),
  };
  for (const [name, set] of Object.entries(sets)) {
    if (name === 'withoutPrimer' || name === 'pieceNext') continue;
    set.fractionOfTheWay = Object.fromEntries(
      continuationMeasureNames.map((measure) => [measure, fractionOfTheWay(sets.withoutPrimer!.distances[measure], set.distances[measure], sets.pieceNext!.distances[measure])]),
    ) as Record<keyof ContinuationDistances, number>;
  }
  return {
    windows: windows.length,
    seeds: options.seeds,
    primerSeconds: options.primerSeconds,
    continuationSeconds: options.continuationSeconds,
    free: options.free,
    continuing: options.continuing,
    sets,
    places: windows.map(({ file, startSeconds }) => ({ file, startSeconds })),
  };
}

/** Each candidate against the truth of the window it was drawn for. */
function summarize(candidates: readonly NoteSequence[], draws: ReadonlyArray<{ window: ContinuationWindow }>, seconds: number): ContinuationDistances {
  return summarizeDistances(candidates.map((candidate, index) => continuationDistances(candidate, draws[index]!.window.truth, seconds)));
}

/** The notes the new events start, moved to start where the primer's ids end and cut after `seconds`. */
function continuationOf(tokenizer: Tokenizer, primer: Uint16Array, events: Uint16Array, maxNoteSeconds: number, seconds: number): { notes: NoteSequence; startsAt: number } {
  const piece = new Uint16Array(primer.length + events.length);
  piece.set(primer);
  piece.set(events, primer.length);
  const startsAt = Array.from(primer).reduce((total, id) => total + tokenizer.secondsOf(id), 0);
  return { notes: excerpt(tokenizer.decode(piece, { maxNoteSeconds }), startsAt, seconds), startsAt };
}

/**
 * Mean NLL per event of each window's true continuation: the primer and its continuation encoded as one passage and
 * split where the primer ends; read after the primer as `recipe` reads it, or from a fresh state (no recipe).
 */
function meanNll(model: LoadedModel, tokenizer: Tokenizer, windows: readonly ContinuationWindow[], recipe: ContinuationRecipe | undefined): number {
  const cell = new LstmCell(model.shape, model.parameters, modelCellOptions(model));
  const spec = modelControlSpec(model.manifest);
  let total = 0;
  let count = 0;
  for (const window of windows) {
    const passage = tokenizer.encode(window.passage);
    const split = splitAt(tokenizer, passage, window.primer.totalSeconds);
    // Without a recipe the truth is read from a fresh state: no primer at all.
    const primer = passage.subarray(recipe ? Math.max(0, split - recipe.contextEvents) : split, split);
    const truth = passage.subarray(split);
    cell.reset();
    if (recipe && spec && tokenizer.name === 'performance') {
      const measured = primerControls(spec, primer, recipe.controls);
      primer.forEach((id, index) => {
        cell.setControls(recipe.whileReading ? measured.whileReading[index] : measured.continuing);
        cell.step(id);
      });
      cell.setControls(measured.continuing);
    } else cell.setControls(undefined);
    for (const id of truth) {
      total -= logProbability(cell.logits, id);
      count += 1;
      cell.step(id);
    }
  }
  return count === 0 ? NaN : total / count;
}

/** Index of the first id at or after `seconds`. */
function splitAt(tokenizer: Tokenizer, ids: Uint16Array, seconds: number): number {
  let clock = 0;
  for (let index = 0; index < ids.length; index++) {
    if (clock >= seconds - 1e-9) return index;
    clock += tokenizer.secondsOf(ids[index]!);
  }
  return ids.length;
}

function logProbability(logits: Float32Array, id: number): number {
  let maximum = -Infinity;
  for (const value of logits) maximum = Math.max(maximum, value);
  let sum = 0;
  for (const value of logits) sum += Math.exp(value - maximum);
  return logits[id]! - maximum - Math.log(sum);
}
