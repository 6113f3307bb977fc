import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { controlLayout } from '../../../../src/model/controls/control-spec.js';
import { saveModel } from '../../../../src/model/model-files.js';
import { FsStore } from '../../../../src/store/fs-store.js';
import { manifestFor, randomModel, tinyControlSpec, tinyShape } from '../../../../fixtures/model-fixtures.js';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run('node', ['bin/rubato.js', ...args]).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe('rubato calibrate', () => {
  it('measures notes per second for every density bin of a model with controls and saves them in its manifest', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rubato-calibrate-'));
    const shape = { ...tinyShape, controlSize: controlLayout(tinyControlSpec).width };
    await saveModel(new FsStore(folder), '', { parameters: randomModel(shape).parameters, manifest: manifestFor(shape, { controls: tinyControlSpec }) });

    const result = await cli('calibrate', '--model', folder, '--pieces', '1', '--seconds', '5');

    expect(result.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest.controls.densityResponse).toHaveLength(tinyControlSpec.densityEdges.length + 1);
    expect(manifest.controls.densityResponse.every((rate: number) => rate >= 0)).toBe(true);
    expect(result.stdout).toMatch(/density bin 0 \(0–1 notes\/s\): writes [\d.]+ notes\/s/);
  });

  it('exits 2 for a model trained without controls', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rubato-calibrate-'));
    await saveModel(new FsStore(folder), '', randomModel());

    const result = await cli('calibrate', '--model', folder);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/trained without controls/);
  });
});
