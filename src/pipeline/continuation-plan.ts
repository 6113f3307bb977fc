import type { NoteSequence } from '../midi/note-sequence.js';
import { controlLayout, dynamicsMarks, type ControlSpec } from '../model/controls/control-spec.js';
import { primerControls, type PrimerControlNames } from '../model/controls/primer-controls.js';
import type { GenerateOptions } from '../model/sampler.js';
import { percentile } from '../music/features.js';
import { estimateKeyOfWeights } from '../music/key-estimate.js';
import { primerTokens, type PrimerEnding } from '../tokens/primer-tokens.js';
import type { Tokenizer } from '../tokens/tokenizer.js';

/** How a continuation follows its primer; {@link followingRecipe} is what rubato does, the rest is for measuring. */
export interface ContinuationRecipe {
  /** Controls measured on the primer's own ids (a model with controls); a control the request names wins. */
  controls: PrimerControlNames;
  /** Feed each primer id the controls a training window would give it (else the continuation's for all). */
  whileReading: boolean;
  /** The newest primer ids the model reads. */
  contextEvents: number;
  ending: PrimerEnding;
  /**
   * A note of the continuation is held at most this many times the primer's 90th-percentile note length (within the
   * request's own cap); 0 leaves the request's cap.
   */
  noteCapFactor: number;
}

/** How a primer was continued before continuations followed its manner: what `followPrimer: false` does. */
export const plainRecipe: ContinuationRecipe = {
  controls: { density: false, pitchClasses: false, dynamics: false },
  whileReading: false,
  contextEvents: 512,
  ending: { holdSoundingNotes: false },
  noteCapFactor: 0,
};

/** What a continuation does by default: chosen on `rubato eval --continuation` (see the model cards). */
export const followingRecipe: ContinuationRecipe = {
  controls: { density: true, pitchClasses: true, dynamics: true },
  whileReading: true,
  contextEvents: 2048,
  ending: { holdSoundingNotes: true },
  noteCapFactor: 3,
};

/** What was taken from the primer, for the answer to say (header, CLI line, page). */
export interface TakenFromPrimer {
  /** Notes per second of the primer's newest window. */
  density?: number;
  /** The key its pitch-class histogram sounds like (the histogram itself is what the model is given). */
  key?: string;
  dynamics?: string;
  /** The longest a new note is held, seconds, when the primer's own notes set it. */
  maxNoteSeconds?: number;
}

/**
 * What was taken as `name=value` pairs (`density=6.1 key=Em`), or `none`: the `X-Rubato-From-Primer` header and the
 * CLI's line.
 *
 * @example describeTakenFromPrimer({ density: 6.1, key: 'Em' }) // 'density=6.1 key=Em'
 */
export function describeTakenFromPrimer(taken: TakenFromPrimer): string {
  const pairs = Object.entries(taken).map(([name, value]) => `${name}=${String(value)}`);
  return pairs.length === 0 ? 'none' : pairs.join(' ');
}

/** The sampler options a continuation needs, and what they took from the primer. */
export interface ContinuationPlan {
  primer: Uint16Array;
  sampling: Pick<GenerateOptions, 'primer' | 'controls'>;
  /** The longest a new note is held: the request's cap, or a shorter one the primer's own notes set. */
  maxNoteSeconds: number;
  taken: TakenFromPrimer;
}

/**
 * Plans the continuation of `primer`: its ids (the newest `contextEvents`), and — when the model has controls —
 * the control inputs measured on those ids as a training window measures them, while reading and for the new events.
 * `requestedControls` is the request's own vector (zeros where a control is not named): each block it sets wins
 * over the primer's.
 *
 * @example
 * const plan = planContinuation(spec, tokenizer, primer, requestControls(spec, {}), followingRecipe, 5);
 * sampler.generate({ stop, decoding, rules: { ...defaultRules, maxNoteSeconds: plan.maxNoteSeconds }, ...plan.sampling });
 */
export function planContinuation(
  spec: ControlSpec | undefined,
  tokenizer: Tokenizer,
  primer: NoteSequence,
  requestedControls: Float32Array | undefined,
  recipe: ContinuationRecipe,
  maxNoteSeconds: number,
): ContinuationPlan {
  const ids = primerTokens(tokenizer, primer, recipe.ending).slice(-recipe.contextEvents);
  const cap = noteCap(primer, recipe.noteCapFactor, maxNoteSeconds);
  // Said in `taken` too: a cap the primer set is something taken from it.
  const capped = cap < maxNoteSeconds ? { maxNoteSeconds: cap } : {};
  const anyTaken = recipe.controls.density || recipe.controls.pitchClasses || recipe.controls.dynamics;
  if (!spec || tokenizer.name !== 'performance' || !anyTaken) {
    return {
      primer: ids,
      sampling: { primer: { ids }, ...(requestedControls ? { controls: requestedControls } : {}) },
      maxNoteSeconds: cap,
      taken: capped,
    };
  }
  const layout = controlLayout(spec);
  const blocks = {
    density: [layout.density, layout.pitchClasses],
    pitchClasses: [layout.pitchClasses, layout.dynamics],
    dynamics: [layout.dynamics, layout.style],
  } as const;
  const named = (block: keyof typeof blocks) => requestedControls !== undefined && requestedControls.subarray(...blocks[block]).some((value) => value !== 0);
  const taken = { density: recipe.controls.density && !named('density'), pitchClasses: recipe.controls.pitchClasses && !named('pitchClasses'), dynamics: recipe.controls.dynamics && !named('dynamics') };
  const measured = primerControls(spec, ids, taken);
  const continuing = Float32Array.from(measured.continuing);
  const features = measured.measured;
  if (requestedControls) requestedControls.forEach((value, index) => value !== 0 && (continuing[index] = value));
  return {
    primer: ids,
    sampling: { primer: { ids, ...(recipe.whileReading ? { controls: measured.whileReading } : {}) }, controls: continuing },
    maxNoteSeconds: cap,
    taken: {
      ...(taken.density ? { density: round2(features.notesPerSecond) } : {}),
      ...(taken.pitchClasses && features.notes > 0 ? { key: estimateKeyOfWeights([...features.pitchClassCounts]).key } : {}),
      ...(taken.dynamics && features.notes > 0 ? { dynamics: dynamicsMarks[dynamicsBinIndex(continuing, layout.dynamics)] } : {}),
      ...capped,
    },
  };
}

function noteCap(primer: NoteSequence, factor: number, maxNoteSeconds: number): number {
  if (factor <= 0 || primer.notes.length === 0) return maxNoteSeconds;
  const lengths = primer.notes.map((note) => note.endSeconds - note.startSeconds);
  return Math.min(maxNoteSeconds, Math.max(0.5, round2(factor * percentile(lengths, 0.9))));
}

function dynamicsBinIndex(controls: Float32Array, start: number): number {
  const index = controls.subarray(start, start + dynamicsMarks.length).indexOf(1);
  return Math.max(0, index);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
