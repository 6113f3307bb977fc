import { describe, expect, it } from 'vitest';
import { controlLayout } from '../../../src/model/controls/control-spec.js';
import { keyProfile } from '../../../src/model/controls/key-guidance.js';
import { controlInputs, controlSummary } from '../../../src/pipeline/control-inputs.js';
import { parseGenerateParams } from '../../../src/pipeline/generate-params.js';
import type { RequestError } from '../../../src/pipeline/request-errors.js';
import { manifestFor, tinyControlSpec, tinyShape } from '../../../fixtures/model-fixtures.js';

const spec = tinyControlSpec;
const controlled = manifestFor({ ...tinyShape, controlSize: controlLayout(spec).width }, { controls: spec });
const controlsOf = (query: Record<string, string>) => parseGenerateParams(query, 'query').controls;

describe('controlInputs', () => {
  it('gives no inputs when nothing is asked, so an unconditioned request and explicit "any" style are the same request', () => {
    expect(controlInputs(controlled, controlsOf({}))).toBeUndefined();
    expect(controlInputs(controlled, controlsOf({ style: 'any' }))).toBeUndefined();
  });

  it('sets one density bin, the key profile turned to its tonic, one dynamics mark and one style', () => {
    const layout = controlLayout(spec);

    const inputs = controlInputs(controlled, controlsOf({ density: '5', key: 'D', dynamics: 'ff', style: 'chopin' }))!;

    expect(Array.from(inputs.subarray(layout.density, layout.pitchClasses))).toEqual([0, 0, 0, 1, 0, 0]);
    expect(Array.from(inputs.subarray(layout.pitchClasses, layout.dynamics))).toEqual(
      keyProfile(spec, { tonic: 2, mode: 'major' }).map((share) => Math.fround(share)),
    );
    expect(Array.from(inputs.subarray(layout.dynamics, layout.style))).toEqual([0, 0, 0, 0, 0, 1]);
    expect(Array.from(inputs.subarray(layout.style))).toEqual([0, 1]);
  });

  it('feeds the density bin whose measured response is nearest the density asked, once the model is calibrated', () => {
    const layout = controlLayout(spec);
    const calibrated = manifestFor(controlled.shape, { controls: { ...spec, densityResponse: [1.5, 3.5, 6, 9, 11, 14] } });
    const binOf = (manifest: typeof controlled, density: string) =>
      Array.from(controlInputs(manifest, controlsOf({ density }))!.subarray(layout.density, layout.pitchClasses)).indexOf(1);

    expect([3, 6, 10, 14].map((density) => binOf(controlled, String(density)))).toEqual([2, 3, 4, 4]);
    expect([3, 6, 10, 14].map((density) => binOf(calibrated, String(density)))).toEqual([1, 2, 4, 5]);
  });

  it('refuses any control for a model trained without them, naming what was asked', () => {
    const plain = manifestFor(tinyShape);

    expect(() => controlInputs(plain, controlsOf({ key: 'Am' }))).toThrow(expect.objectContaining({ code: 'unsupported-control', status: 400 }));
    expect(() => controlInputs(plain, controlsOf({ key: 'Am' }))).toThrow(/trained without controls.*"key"/);
    expect(controlInputs(plain, controlsOf({}))).toBeUndefined();
  });

  it('names the composers the model knows when the style is not one of them', () => {
    const error = (() => {
      try {
        controlInputs(controlled, controlsOf({ style: 'Satie' }));
      } catch (caught) {
        return caught as RequestError;
      }
    })();

    expect(error?.code).toBe('invalid-parameter');
    expect(error?.message).toBe('parameter "style" must be one of Bach, Chopin, any; got "Satie"');
  });

  it('summarises what a request may ask of the model for GET /models', () => {
    expect(controlSummary(spec)).toMatchObject({ density: { min: 0.5, max: 32 }, dynamics: ['pp', 'p', 'mp', 'mf', 'f', 'ff'], styles: ['Bach', 'Chopin'] });
    expect(controlSummary(spec).keys).toHaveLength(24);
  });
});
