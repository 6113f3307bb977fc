import { writeMidi } from '../midi/write-midi.js';
import { samplerGuidance } from '../model/controls/sampler-guidance.js';
import { defaultRules, lengthInSeconds } from '../model/sampler.js';
import { resolveDecoding, type DecodingChoice } from '../model/sampling-defaults.js';
import type { GenerateParams } from './generate-params.js';
import { defaultDecoding, generateLimits } from './generate-params.js';
import { controlInputs, modelControlSpec } from './control-inputs.js';
import { followingRecipe, plainRecipe, planContinuation, type TakenFromPrimer } from './continuation-plan.js';
import type { DamagedModel, ModelCache, ServedModel } from './model-cache.js';

export interface GeneratePieceContext {
  cache: ModelCache;
  /** Epoch ms by which sampling must have stopped (the caller's own deadline minus the time to answer). */
  deadline: number;
  /** Seed source when the request gives none, for tests. */
  randomSeed?: () => number;
}

/** A generated piece and how it came out. */
export interface GeneratedPiece {
  midi: Uint8Array;
  runId: string;
  seed: number;
  /** New events sampled (the primer's not counted). */
  events: number;
  /** Length of the MIDI file in seconds of music, the primer included. */
  seconds: number;
  /**
   * Seconds into the MIDI file of the primer's last event (its kept tail's): the new notes start there or later, and
   * at that very instant only on pitches the primer does not strike then (notes it holds to its end are left sounding
   * and ended by the continuation). 0 without a primer.
   */
  primerSeconds: number;
  notes: number;
  /** What the continuation took from its primer (controls measured on it, a note cap); empty without a primer. */
  fromPrimer: TakenFromPrimer;
  /** Set when the shipped model played because the one asked for is damaged (see ModelCache). */
  standsInFor?: DamagedModel;
  /** The decoding it was sampled with: the request's, else the model's own defaults, else rubato's. */
  decoding: Record<DecodingChoice, number>;
  /** False when the deadline (or, in seconds, the event cap) stopped sampling before the asked-for length. */
  complete: boolean;
}

/**
 * The generate use case: picks the model, plans the primer's continuation (see {@link planContinuation}), fills the
 * decoding the request left out from the model's own defaults (see {@link resolveDecoding}), samples
 * until the asked-for length (in seconds: capped by `lengthInSeconds`) or the deadline, and
 * writes the primer plus the new events as MIDI, no note (the primer's included) longer than `maxNoteSeconds`.
 *
 * @example
 * const piece = await generatePiece(parseGenerateParams({ seconds: '10' }, 'query'), { cache, deadline: Date.now() + 20_000 });
 * await writeFile(`rubato-${piece.seed}.mid`, piece.midi);
 */
export async function generatePiece(params: GenerateParams, context: GeneratePieceContext): Promise<GeneratedPiece> {
  return composePiece(await context.cache.get(params.model), params, context);
}

/**
 * The generate use case on a model already loaded (the CLI loads a folder; servers go through the cache): the same
 * limits, primer handling, controls and MIDI everywhere.
 */
export function composePiece(served: ServedModel, params: GenerateParams, context: Omit<GeneratePieceContext, 'cache'>): GeneratedPiece {
  const { runId, tokenizer, sampler, model } = served;
  const controls = controlInputs(model.manifest, params.controls);
  // controlInputs has thrown unless the model has controls.
  const guidance = model.manifest.controls ? samplerGuidance(model.manifest.controls, params.controls) : undefined;
  const seed = params.seed ?? (context.randomSeed ?? randomSeed)();
  const plan = params.primer
    ? planContinuation(modelControlSpec(model.manifest), tokenizer, params.primer, controls, params.followPrimer ? followingRecipe : plainRecipe, params.maxNoteSeconds)
    : undefined;
  const primer = plan?.primer ?? new Uint16Array(0);
  const length = 'events' in params.length ? { maxEvents: params.length.events } : lengthInSeconds(params.length.seconds);
  const decoding = resolveDecoding(params.decoding, model.manifest.sampling, params.primer !== undefined, defaultDecoding);
  const events = sampler.generate({
    stop: { ...length, deadline: context.deadline },
    decoding: { ...decoding, seed },
    rules: { ...defaultRules, maxNoteSeconds: plan?.maxNoteSeconds ?? params.maxNoteSeconds },
    ...(guidance ? { guidance } : {}),
    ...(controls ? { controls } : {}),
    ...plan?.sampling,
  });
  const piece = new Uint16Array(primer.length + events.length);
  piece.set(primer);
  piece.set(events, primer.length);
  const sequence = tokenizer.decode(piece, { maxNoteSeconds: params.maxNoteSeconds });
  const sampledSeconds = events.reduce((total, id) => total + tokenizer.secondsOf(id), 0);
  return {
    midi: writeMidi(sequence),
    runId,
    seed,
    events: events.length,
    seconds: sequence.notes.reduce((end, note) => Math.max(end, note.endSeconds), 0),
    primerSeconds: primer.reduce((total, id) => total + tokenizer.secondsOf(id), 0),
    notes: sequence.notes.length,
    fromPrimer: plan?.taken ?? {},
    decoding,
    complete: 'events' in params.length ? events.length === params.length.events : sampledSeconds >= params.length.seconds,
    ...(served.standsInFor ? { standsInFor: served.standsInFor } : {}),
  };
}

function randomSeed(): number {
  return Math.floor(Math.random() * (generateLimits.seed.max + 1));
}
