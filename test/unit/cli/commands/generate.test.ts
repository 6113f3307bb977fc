import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseMidi } from '../../../../src/midi/parse-midi.js';
import { saveModel } from '../../../../src/model/model-files.js';
import { FsStore } from '../../../../src/store/fs-store.js';
import { randomModel } from '../../model/model-fixtures.js';

const run = promisify(execFile);
const cli = (...args: string[]) => run('node', ['bin/rubato.js', ...args]).then(
  ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
  (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
);

describe('rubato generate', () => {
  it('writes a MIDI file and repeats it for the same seed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rubato-generate-'));
    const model = randomModel();
    await saveModel(new FsStore(join(folder, 'model')), '', model);
    const args = ['generate', '--model', join(folder, 'model'), '--events', '200', '--seed', '5'];
    const first = await cli(...args, '--out', join(folder, 'a.mid'));
    const second = await cli(...args, '--out', join(folder, 'b.mid'));
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ seed: 5, events: 200 });
    const [a, b] = await Promise.all([readFile(join(folder, 'a.mid')), readFile(join(folder, 'b.mid'))]);
    expect(a).toEqual(b);
    expect(parseMidi(new Uint8Array(a)).notes.length).toBeGreaterThan(0);
    expect(second.code).toBe(0);
  });

  it.each([
    [['--model', '/nonexistent/model', '--out', '/tmp/x.mid'], /manifest\.json is missing/],
    [['--model', '/nonexistent/model', '--out', '/tmp/x.mid', '--top-p', '2'], /--top-p/],
  ])('exits 2 with a clear message for %o', async (args, message) => {
    const result = await cli('generate', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
