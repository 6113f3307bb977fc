import type { WindowFeatures } from '../../dataset/control-features.js';
import type { MusicalKey } from '../../music/musical-key.js';
import { keyProfile } from './key-guidance.js';
import { KEYBOARD_KEYS, type KeyboardSpec } from './keyboard-input.js';

/** The musical dynamic marks, softest first: the `dynamics` control's values. */
export const dynamicsMarks = ['pp', 'p', 'mp', 'mf', 'f', 'ff'] as const;
export type DynamicsMark = (typeof dynamicsMarks)[number];

/** Requested or "not given" (undefined): one model serves any subset of controls. */
export interface ControlRequest {
  /** Notes per second. */
  density?: number;
  key?: MusicalKey;
  dynamics?: DynamicsMark;
  /** A composer of `ControlSpec.styles`. */
  style?: string;
}

/**
 * The control vocabulary of a model, saved in its manifest: what the extra inputs of the first LSTM layer mean.
 * Layout of the vector, each block all zeros when its control is not given:
 * density one-hot (`densityEdges.length + 1` bins) · pitch-class histogram (12, sums to 1) · dynamics one-hot (6) ·
 * style one-hot (`styles.length`) · with `keyboard`, the keys that sound (88; fed every event by the sampler, never
 * "not given").
 */
export interface ControlSpec {
  schemaVersion: 1;
  /** Every control describes the events of the next `windowSeconds` seconds. */
  windowSeconds: number;
  /** Bin edges in notes per second, ascending: bin i holds densities in [edge i−1, edge i); the last bin is open. */
  densityEdges: number[];
  /** Five mean-velocity edges between pp|p|mp|mf|f|ff, from the corpus's window velocities. */
  dynamicsEdges: number[];
  /** Composers with enough training data to learn from; anything else trains as "any". */
  styles: string[];
  /** Pitch-class profile of a major and a minor key with tonic C, learned from the training data (sum 1). */
  keyProfiles: { major: number[]; minor: number[] };
  /**
   * Notes per second the trained model writes for each density bin (`rubato calibrate`): when present, a request is
   * given the bin whose response is nearest the density asked (on a log scale), not the bin the density falls in.
   */
  densityResponse?: number[];
  /** Training only: chance that all controls are dropped together, and then that each one is dropped. */
  dropout: { all: number; each: number };
  /** The model also reads which keys sound after each event (see keyboard-input.ts). Absent in older models: no. */
  keyboard?: KeyboardSpec;
}

/** Where each control's block starts in the vector, and the vector's width. */
export interface ControlLayout {
  density: number;
  pitchClasses: number;
  dynamics: number;
  style: number;
  /** Start of the keyboard block (equal to `width` when the model has none). */
  keyboard: number;
  width: number;
}

export function controlLayout(spec: ControlSpec): ControlLayout {
  const density = 0;
  const pitchClasses = density + spec.densityEdges.length + 1;
  const dynamics = pitchClasses + 12;
  const style = dynamics + dynamicsMarks.length;
  const keyboard = style + spec.styles.length;
  return { density, pitchClasses, dynamics, style, keyboard, width: keyboard + (spec.keyboard ? KEYBOARD_KEYS : 0) };
}

/** Which controls a training window keeps; the rest read as "not given". */
export interface KeptControls {
  density: boolean;
  pitchClasses: boolean;
  dynamics: boolean;
  style: boolean;
}

/**
 * Writes the control vector of one training position (what its window holds, and its file's composer index or −1)
 * into `out` at `offset`. `out` must be zero there already. Called for every position of every batch: the caller
 * computes `layout` once.
 */
export function writeWindowControls(
  spec: ControlSpec,
  layout: ControlLayout,
  features: WindowFeatures,
  styleIndex: number,
  kept: KeptControls,
  out: Float32Array,
  offset: number,
): void {
  if (kept.density) out[offset + layout.density + densityBin(spec, features.notesPerSecond)] = 1;
  if (kept.pitchClasses && features.notes > 0) {
    for (let pitchClass = 0; pitchClass < 12; pitchClass++) {
      out[offset + layout.pitchClasses + pitchClass] = features.pitchClassCounts[pitchClass]! / features.notes;
    }
  }
  if (kept.dynamics && features.notes > 0) out[offset + layout.dynamics + dynamicsBin(spec, features.meanVelocity)] = 1;
  if (kept.style && styleIndex >= 0) out[offset + layout.style + styleIndex] = 1;
}

/** The constant control vector of a request (zeros where a control is not given). */
export function requestControls(spec: ControlSpec, request: ControlRequest): Float32Array {
  const layout = controlLayout(spec);
  const out = new Float32Array(layout.width);
  if (request.density !== undefined) out[layout.density + requestedDensityBin(spec, request.density)] = 1;
  if (request.key) out.set(keyProfile(spec, request.key), layout.pitchClasses);
  if (request.dynamics) out[layout.dynamics + dynamicsMarks.indexOf(request.dynamics)] = 1;
  if (request.style !== undefined) {
    const index = spec.styles.indexOf(request.style);
    if (index < 0) throw new RangeError(`style "${request.style}" is not one of ${spec.styles.join(', ')}`);
    out[layout.style + index] = 1;
  }
  return out;
}

/** Densities a request may ask for: the middle of the lowest bin to the start of the open top bin, doubled. */
export function densityRange(spec: ControlSpec): { min: number; max: number } {
  return { min: spec.densityEdges[0]! / 2, max: 2 * spec.densityEdges.at(-1)! };
}

/** The bin to feed for an asked density: by the measured response when the model has one. */
function requestedDensityBin(spec: ControlSpec, notesPerSecond: number): number {
  const response = spec.densityResponse;
  if (!response || response.length !== spec.densityEdges.length + 1) return densityBin(spec, notesPerSecond);
  const distance = (bin: number) => Math.abs(Math.log(Math.max(response[bin]!, 0.01) / notesPerSecond));
  return response.reduce((best, _, bin) => (distance(bin) < distance(best) ? bin : best), 0);
}

function densityBin(spec: ControlSpec, notesPerSecond: number): number {
  let bin = 0;
  while (bin < spec.densityEdges.length && notesPerSecond >= spec.densityEdges[bin]!) bin++;
  return bin;
}

function dynamicsBin(spec: ControlSpec, meanVelocity: number): number {
  let bin = 0;
  while (bin < spec.dynamicsEdges.length && meanVelocity >= spec.dynamicsEdges[bin]!) bin++;
  return bin;
}
