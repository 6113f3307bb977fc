import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelManifestSchema } from '../../../src/model/manifest.js';
import { findRepositoryRoot } from '../../../src/workers/repository-root.js';
import { manifestFor, tinyShape } from '../../../fixtures/model-fixtures.js';

/** A manifest as it lies in the bucket: through JSON, which writes NaN and Infinity as null. */
const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('modelManifestSchema', () => {
  it.each(['default', 'large'])('reads the committed %s model manifest', (model) => {
    const text = readFileSync(join(findRepositoryRoot(), 'models', model, 'manifest.json'), 'utf8');

    expect(modelManifestSchema.safeParse(JSON.parse(text)).success).toBe(true);
  });

  it('reads a run of no steps, whose mean training loss JSON wrote as null, back as NaN', () => {
    const manifest = manifestFor(tinyShape);
    const parsed = modelManifestSchema.parse(stored({ ...manifest, metrics: { ...manifest.metrics, trainLoss: Number.NaN } }));

    expect(parsed.metrics.trainLoss).toBeNaN();
  });

  it('keeps fields it does not know, so a newer manifest read and written again loses nothing', () => {
    const parsed = modelManifestSchema.parse(stored({ ...manifestFor(tinyShape), addedLater: { x: 1 } }));

    expect(parsed).toMatchObject({ addedLater: { x: 1 } });
  });

  it.each([
    ['shape.units', (manifest: Record<string, any>) => ({ ...manifest, shape: { ...manifest.shape, units: 'many' } })],
    ['tokenizer.name', (manifest: Record<string, any>) => ({ ...manifest, tokenizer: { ...manifest.tokenizer, name: 'words' } })],
    ['sampling.topP', (manifest: Record<string, any>) => ({ ...manifest, sampling: { topP: 2 } })],
    ['metrics', ({ metrics: _metrics, ...manifest }: Record<string, any>) => manifest],
  ])('refuses a manifest whose %s is wrong, naming it', (field, damage) => {
    const parsed = modelManifestSchema.safeParse(damage(stored(manifestFor(tinyShape)) as Record<string, any>));

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe(field);
  });
});
