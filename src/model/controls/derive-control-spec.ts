import { forEachWindow } from '../../dataset/control-features.js';
import { estimateKeyOfWeights } from '../../music/key-estimate.js';
import { dynamicsMarks, type ControlSpec } from './control-spec.js';

/** One training file as the control vocabulary sees it. */
export interface ControlSource {
  tokens: Uint16Array;
  composer?: string;
}

export const controlDefaults = {
  /**
   * Long enough that a window holds a phrase — about a hundred notes, so its pitch classes show the key rather than
   * the chord of the moment, and its velocity mean is stable — short enough to follow a piece's changes of texture.
   * Performance RNN used 3 s for density and 5 s for pitch histograms; with 5 s here a requested key was followed in
   * 23 % of pieces (bench control), too often a neighbouring chord's notes.
   */
  windowSeconds: 10,
  /** Geometric bins ≈ 26 % apart (10^0.1): a request lands within ≈ 13 % of its bin's centre. */
  densityEdges: [1, 1.26, 1.58, 2, 2.51, 3.16, 3.98, 5.01, 6.31, 7.94, 10, 12.6, 15.8, 20, 25.1, 31.6],
  /** Quantiles of window mean velocity between the six marks: pp and ff are the softest and loudest tenths. */
  dynamicsQuantiles: [0.1, 0.3, 0.5, 0.7, 0.9],
  /** A composer needs this many training files to be a style of its own. */
  minFilesPerStyle: 5,
  dropout: { all: 0.2, each: 0.4 },
  /** Every this-many positions a window is sampled for the velocity quantiles. */
  velocitySampleStride: 97,
} as const;

/**
 * Derives the control vocabulary from the training files: dynamics bins from the quantiles of window mean velocity,
 * the composers with enough files, and major/minor pitch-class profiles learned from the data — each file's
 * pitch-class counts rotated to the tonic of its Krumhansl–Schmuckler key, averaged per mode.
 *
 * @example const spec = deriveControlSpec(train.map((tokens, i) => ({ tokens, composer: composers[i] })));
 */
export function deriveControlSpec(sources: readonly ControlSource[]): ControlSpec {
  const velocities: number[] = [];
  const profiles = { major: new Float64Array(12), minor: new Float64Array(12) };
  const filesPerComposer = new Map<string, number>();
  for (const { tokens, composer } of sources) {
    if (composer) filesPerComposer.set(composer, (filesPerComposer.get(composer) ?? 0) + 1);
    const counts = new Array<number>(12).fill(0);
    for (const id of tokens) if (id < 128) counts[id % 12]! += 1;
    const key = estimateKeyOfWeights(counts);
    const notes = counts.reduce((a, b) => a + b, 0);
    if (Number.isFinite(key.correlation) && notes > 0) for (let pc = 0; pc < 12; pc++) profiles[key.mode][pc]! += counts[(pc + key.tonic) % 12]! / notes;
    forEachWindow(tokens, 0, tokens.length, tokens.length, controlDefaults.windowSeconds, (position, features) => {
      if (position % controlDefaults.velocitySampleStride === 0 && features.notes > 0) velocities.push(features.meanVelocity);
    });
  }
  velocities.sort((a, b) => a - b);
  const quantile = (q: number) => (velocities.length > 0 ? velocities[Math.min(velocities.length - 1, Math.floor(q * velocities.length))]! : 64);
  const dynamicsEdges = controlDefaults.dynamicsQuantiles.map(quantile);
  if (dynamicsEdges.length !== dynamicsMarks.length - 1) throw new Error('dynamics edges must separate the six marks');
  return {
    schemaVersion: 1,
    windowSeconds: controlDefaults.windowSeconds,
    densityEdges: [...controlDefaults.densityEdges],
    dynamicsEdges: dynamicsEdges.map((edge) => Math.round(edge * 10) / 10),
    styles: [...filesPerComposer].filter(([, files]) => files >= controlDefaults.minFilesPerStyle).map(([composer]) => composer).sort(),
    keyProfiles: { major: normalised(profiles.major, 'major'), minor: normalised(profiles.minor, 'minor') },
    dropout: { ...controlDefaults.dropout },
  };
}

/** Sum-to-one profile; a mode no file was in falls back to its plain scale. */
function normalised(profile: Float64Array, mode: 'major' | 'minor'): number[] {
  const total = profile.reduce((a, b) => a + b, 0);
  if (total > 0) return Array.from(profile, (value) => Math.round((value / total) * 1e4) / 1e4);
  const scale = mode === 'major' ? [0, 2, 4, 5, 7, 9, 11] : [0, 2, 3, 5, 7, 8, 10];
  return Array.from({ length: 12 }, (_, pc) => (scale.includes(pc) ? 1 / 7 : 0));
}
