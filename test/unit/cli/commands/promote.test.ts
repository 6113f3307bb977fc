import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readLatest } from '../../../../src/pipeline/latest-pointer.js';
import { FsStore } from '../../../../src/store/fs-store.js';
import { publishLatest, saveTinyModel } from '../../../../fixtures/published-model.js';

const run = promisify(execFile);
const failureOf = (args: string[]) =>
  run('node', ['bin/rubato.js', ...args]).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );

describe('rubato promote', () => {
  it('points latest.json of a local data folder at the run, and exits 2 naming an unknown or malformed run id', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rubato-promote-'));
    const store = new FsStore(join(dataDir, 'bucket'));
    await saveTinyModel(store, 'run-old');
    await saveTinyModel(store, 'run-new');
    await publishLatest(store, 'run-new');

    const { stdout } = await run('node', ['bin/rubato.js', 'promote', 'run-old', '--data-dir', dataDir]);
    const unknown = await failureOf(['promote', 'run-none', '--data-dir', dataDir]);
    const malformed = await failureOf(['promote', '../x', '--data-dir', dataDir]);

    expect(stdout).toMatch(/run-old is now the latest model/);
    expect((await readLatest(store)).pointer?.runId).toBe('run-old');
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/rubato promote: no published model "run-none"/) });
    expect(malformed).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not a run id/) });
  }, 30_000);
});
