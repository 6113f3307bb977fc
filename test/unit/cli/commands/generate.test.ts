import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseMidi } from '../../../../src/midi/parse-midi.js';
import { saveModel } from '../../../../src/model/model-files.js';
import { FsStore } from '../../../../src/store/fs-store.js';
import { randomModel } from '../../../../fixtures/model-fixtures.js';
import { scaleMidi } from '../../../support/tiny-midi.js';

const run = promisify(execFile);

/** A .mid file holding the start of a header and then garbage. */
function damagedPrimer(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rubato-damaged-')), 'damaged.mid');
  writeFileSync(path, 'MThd\u0000\u0000\u0000\u0006garbage');
  return path;
}
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
    expect(JSON.parse(first.stdout)).toMatchObject({ seed: 5, events: 200, sampling: { temperature: 1, topK: 0, topP: 0.95 } });
    const [a, b] = await Promise.all([readFile(join(folder, 'a.mid')), readFile(join(folder, 'b.mid'))]);
    expect(a).toEqual(b);
    expect(parseMidi(new Uint8Array(a)).notes.length).toBeGreaterThan(0);
    expect(second.code).toBe(0);
  });

  it.each([
    [['--model', '/nonexistent/model', '--out', '/tmp/x.mid'], /^rubato generate: --model \/nonexistent\/model: no such folder/],
    [['--model', '/nonexistent/model', '--out', '/tmp/x.mid', '--top-p', '2'], /--top-p/],
    [['--out', '/no-such-dir/x.mid'], /^rubato generate: --out \/no-such-dir\/x\.mid: the folder \/no-such-dir does not exist/],
    [['--out', tmpdir()], /--out .*: is a folder/],
    [['--primer', '/missing.mid', '--out', join(tmpdir(), 'x.mid')], /^rubato generate: --primer \/missing\.mid: no such file/],
    [['--primer', damagedPrimer(), '--out', join(tmpdir(), 'x.mid')], /^rubato generate: --primer is not a usable MIDI file: /],
    [['--primer-end', '2', '--out', join(tmpdir(), 'x.mid')], /^rubato generate: --primer-end needs --primer/],
  ])('exits 2 with one line naming the fix for %o (issue 10, item 7)', async (args, message) => {
    const result = await cli('generate', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a sparse 1.2 GB primer from its size, without reading it (issue 10, item 6)', async () => {
    const sparse = join(mkdtempSync(join(tmpdir(), 'rubato-sparse-')), 'huge.mid');
    await writeFile(sparse, '');
    await truncate(sparse, 1.2e9);
    const result = await cli('generate', '--primer', sparse, '--out', join(tmpdir(), 'x.mid'), '--events', '5');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/huge\.mid: 1200000000 bytes, over the 262144-byte limit/);
  });

  it('with --api sends the --primer file it checked as base64 in the POST body, and writes the answer', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rubato-generate-api-'));
    const primer = scaleMidi(8);
    writeFileSync(join(folder, 'primer.mid'), primer);
    const bodies: string[] = [];
    const api = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'audio/midi', 'x-rubato-run-id': 'run-1', 'x-rubato-seed': '3', 'x-rubato-events': '4', 'x-rubato-seconds': '1.00', 'x-rubato-complete': 'true' });
        response.end(Buffer.from(primer));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));

    try {
      const result = await cli('generate', '--api', `http://127.0.0.1:${(api.address() as AddressInfo).port}`, '--primer', join(folder, 'primer.mid'), '--seconds', '2', '--out', join(folder, 'out.mid'));

      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ runId: 'run-1', seed: 3, events: 4, complete: true });
      // No decoding sent that the user did not give: the deployed model's own defaults apply.
      expect(bodies.map((body) => JSON.parse(body) as Record<string, string>)).toEqual([
        { seconds: '2', followPrimer: 'true', primer: Buffer.from(primer).toString('base64') },
      ]);
      expect(new Uint8Array(await readFile(join(folder, 'out.mid')))).toEqual(primer);
    } finally {
      await new Promise<void>((resolve) => api.close(() => resolve()));
    }
  });
});
