import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveModel } from '../../../../src/model/model-files.js';
import { saveTrainingFiles } from '../../../../src/model/training-files.js';
import { FsStore } from '../../../../src/store/fs-store.js';
import { performances } from '../../../support/performance-midi.js';
import { randomModel } from '../../../../fixtures/model-fixtures.js';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run('node', ['bin/rubato.js', ...args], { maxBuffer: 1 << 24 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe('rubato eval on six generated performances and a tiny random model', () => {
  const folder = mkdtempSync(join(tmpdir(), 'rubato-eval-'));
  const data = join(folder, 'data');
  const model = join(folder, 'model');
  let digests: string[] = [];

  beforeAll(async () => {
    mkdirSync(join(folder, 'midi'));
    // A minute each, so each held-out one gives two continuation windows (primer + two continuations from 1/3 in).
    performances(6, 60).forEach((bytes, index) => writeFileSync(join(folder, 'midi', `performance ${index}.mid`), bytes));
    expect((await cli('preprocess', join(folder, 'midi'), '--out', data)).code).toBe(0);
    digests = readdirSync(join(data, 'tokens')).filter((name) => name.endsWith('.tokens')).map((name) => name.slice(0, 64)).sort();
    // Two files validate; the model trained on the other four, and says so.
    const split = JSON.parse(readFileSync(join(data, 'split.json'), 'utf8'));
    writeFileSync(join(data, 'split.json'), JSON.stringify({ ...split, train: digests.slice(2), validation: digests.slice(0, 2) }));
    await saveModel(new FsStore(model), '', randomModel());
    await saveTrainingFiles(new FsStore(model), '', { schemaVersion: 1, dataDigest: 'test', train: digests.slice(2) });
  }, 60_000);

  it('fits the baselines on the model’s own training files and compares 4 sampled pieces with excerpts of the performances', async () => {
    const result = await cli('eval', '--model', model, '--data', data, '--music', '--pieces', '4', '--music-seconds', '5', '--music-out', join(folder, 'music.json'));
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.baselines.fitOn).toMatch(/the model's own training files: 4 of its 4/);
    expect(output.baselines.trigram).toBeGreaterThan(0);
    expect(output.music.pieces).toEqual({ generated: 4, heldOut: 4, reference: 4 });
    expect(output.music.features).toHaveLength(9);
    for (const row of output.music.features) {
      expect(row.overlapGenerated).toBeGreaterThanOrEqual(0);
      expect(row.overlapReference).toBeLessThanOrEqual(1 + 1e-9);
    }
    // The grammar caps notes at 5 s, so none is held over 5 s.
    expect(output.music.longNoteShare.generated).toBe(0);
    expect(result.stderr).toMatch(/\| mean polyphony at onsets \|/);
    expect((await cli('plot', 'music', '--report', join(folder, 'music.json'), '--out', join(folder, 'music.svg'))).code).toBe(0);
    expect(readFileSync(join(folder, 'music.svg'), 'utf8')).toMatch(/<polyline/);
  }, 60_000);

  it('continues primers cut from the held-out performances and reports all four sets, the way and the NLL with and without the primer', async () => {
    const reportPath = join(folder, 'continuation.json');
    const result = await cli('eval', '--model', model, '--data', data, '--continuation', '--windows', '4', '--primer-seconds', '4', '--continuation-seconds', '5', '--continuation-out', reportPath);
    expect(result.code).toBe(0);
    const { continuation } = JSON.parse(result.stdout);
    expect(continuation.windows).toBe(4);
    expect(Object.keys(continuation.sets)).toEqual(['withoutPrimer', 'followPrimerOff', 'followPrimer', 'pieceNext']);
    expect(continuation.sets.followPrimer.fractionOfTheWay.pitchClassCosine).toEqual(expect.any(Number));
    expect(continuation.sets.followPrimer.nll).toBeGreaterThan(0);
    expect(continuation.sets.withoutPrimer.nll).toBeGreaterThan(0);
    expect(continuation.sets.pieceNext.seam.medianPrimerInterOnset).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/\| pitch-class histogram, cosine \(mean\) \|/);
    expect(result.stderr).toMatch(/\| \\\|log notes\/s ratio\\\| \(median\) \|/);
    expect((await cli('plot', 'continuation', '--report', reportPath, '--out', join(folder, 'continuation.svg'))).code).toBe(0);
    expect(readFileSync(join(folder, 'continuation.svg'), 'utf8')).toMatch(/<rect [^>]*fill="#d62728"/);
    const notAReport = await cli('plot', 'continuation', '--report', join(folder, 'music.json'), '--out', join(folder, 'x.svg'));
    expect(notAReport.code).toBe(2);
  }, 120_000);

  it('refuses to fit baselines on the events it scores: --split all needs --baseline-data', async () => {
    const result = await cli('eval', '--model', model, '--data', data, '--split', 'all');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--baseline-data/);
    const named = await cli('eval', '--model', model, '--data', data, '--split', 'all', '--baseline-data', data);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/no file to fit the baselines on/);
  }, 60_000);
});
