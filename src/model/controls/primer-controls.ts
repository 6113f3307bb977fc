import { forEachWindow, type WindowFeatures } from '../../dataset/control-features.js';
import { performanceSecondsOf } from '../../tokens/performance-ids.js';
import { controlLayout, writeWindowControls, type ControlSpec, type KeptControls } from './control-spec.js';

/** Which controls a continuation takes from its primer (style never: a primer does not name its composer). */
export type PrimerControlNames = Omit<KeptControls, 'style'>;

/** A primer's control inputs, written exactly as a training window writes them from the same events. */
export interface PrimerControls {
  /** One vector per primer id: what the primer holds from that id on (the window cut short at the primer's end). */
  whileReading: Float32Array[];
  /** The vector the continuation holds: what the last `windowSeconds` of the primer hold. */
  continuing: Float32Array;
  /** What the continuing vector was written from: the primer's last window. */
  measured: WindowFeatures;
}

/**
 * Control inputs measured on a primer's own ids (performance tokens), as `streamControls` measures a training window:
 * its raw pitch-class histogram, density bin and dynamics bin, each only when `taken` says so. The model then reads,
 * while it reads the primer, what a training window would have told it, and the continuation holds the primer's
 * newest window — the music the model was shown it is about to play.
 *
 * @example
 * const { whileReading, continuing } = primerControls(spec, primerIds, { density: true, pitchClasses: true, dynamics: false });
 */
export function primerControls(spec: ControlSpec, ids: ArrayLike<number>, taken: PrimerControlNames): PrimerControls {
  const layout = controlLayout(spec);
  const kept: KeptControls = { ...taken, style: false };
  const whileReading = Array.from({ length: ids.length }, () => new Float32Array(layout.width));
  const lastWindow = lastWindowStart(ids, spec.windowSeconds);
  let measured: WindowFeatures = { notesPerSecond: 0, pitchClassCounts: new Float64Array(12), meanVelocity: NaN, notes: 0 };
  forEachWindow(ids, 0, ids.length, ids.length, spec.windowSeconds, (position, features) => {
    writeWindowControls(spec, layout, features, -1, kept, whileReading[position]!, 0);
    // The sweep reuses its features object: keep a copy of the newest window's.
    if (position === lastWindow) measured = { ...features, pitchClassCounts: Float64Array.from(features.pitchClassCounts) };
  });
  const continuing = ids.length > 0 ? Float32Array.from(whileReading[lastWindow]!) : new Float32Array(layout.width);
  return { whileReading, continuing, measured };
}

/** The first id of the primer's last `windowSeconds` (0 for a shorter primer). */
function lastWindowStart(ids: ArrayLike<number>, windowSeconds: number): number {
  let seconds = 0;
  for (let position = ids.length - 1; position >= 0; position--) {
    seconds += performanceSecondsOf(ids[position]!);
    if (seconds >= windowSeconds - 1e-9) return position + 1;
  }
  return 0;
}
