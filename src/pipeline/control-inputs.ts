import { controlLayout, densityRange, dynamicsMarks, requestControls, type ControlSpec } from '../model/controls/control-spec.js';
import type { ModelManifest } from '../model/manifest.js';
import { keyNames } from '../music/musical-key.js';
import { generateLimits, type RequestedControls } from './generate-params.js';
import { badRequest } from './request-errors.js';

/** The controls of one model as `GET /models` lists them: what a request may ask of it. */
export interface ControlSummary {
  density: { min: number; max: number };
  keys: readonly string[];
  dynamics: readonly string[];
  styles: readonly string[];
}

export function controlSummary(spec: ControlSpec): ControlSummary {
  const range = densityRange(spec);
  // What the model's bins cover, within what a request may ask at all.
  const density = { min: Math.max(range.min, generateLimits.density.min), max: Math.min(range.max, generateLimits.density.max) };
  return { density, keys: keyNames, dynamics: dynamicsMarks, styles: spec.styles };
}

/** The model's control vocabulary when its inputs were built from it (undefined for a model without controls). */
export function modelControlSpec(manifest: ModelManifest): ControlSpec | undefined {
  const spec = manifest.controls;
  return spec && manifest.shape.controlSize === controlLayout(spec).width ? spec : undefined;
}

/**
 * The model's control inputs for a request, or undefined when it asks for none. Throws a 400 {@link RequestError}
 * when the model was trained without controls, or the style is not one of its composers (naming those it knows).
 *
 * @example controlInputs(model.manifest, { key: parseKey('Dm'), dynamics: 'p' })
 */
export function controlInputs(manifest: ModelManifest, requested: RequestedControls): Float32Array | undefined {
  const asked = Object.keys(requested) as Array<keyof RequestedControls>;
  if (asked.length === 0) return undefined;
  const spec = modelControlSpec(manifest);
  if (!spec) {
    throw badRequest(
      'unsupported-control',
      `this model was trained without controls, so it cannot follow ${asked.map((name) => `"${name}"`).join(', ')}; leave them out or pick a model whose GET /models entry lists controls`,
    );
  }
  if (requested.style !== undefined && !spec.styles.includes(requested.style)) {
    const known = spec.styles.find((style) => style.toLowerCase() === requested.style!.toLowerCase());
    if (!known) {
      throw badRequest('invalid-parameter', `parameter "style" must be one of ${[...spec.styles, 'any'].join(', ')}; got ${JSON.stringify(requested.style).slice(0, 40)}`);
    }
    return requestControls(spec, { ...requested, style: known });
  }
  return requestControls(spec, requested);
}
