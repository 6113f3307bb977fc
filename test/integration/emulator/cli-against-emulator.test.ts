import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/start-emulator.js';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { keys } from '../../../src/pipeline/keys.js';
import { rejectionRecordSchema } from '../../../src/pipeline/rejection-record.js';
import { datasetEntryMetaSchema } from '../../../src/dataset/entry-meta-schema.js';
import { storedJson } from '../../support/stored-json.js';
import { scaleMidi } from '../../support/tiny-midi.js';
import { tinyTraining } from '../../support/tiny-trainer.js';
import { waitFor } from '../../support/wait-for.js';

const run = promisify(execFile);
/** The CLI as a user runs it, with no AWS settings of its own: on 127.0.0.1 it signs with the emulator's key. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  run('node', ['bin/rubato.js', ...args], { env: { PATH: process.env.PATH, HOME: tmpdir(), ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );


let emulator: Emulator;
const folder = mkdtempSync(join(tmpdir(), 'rubato-cli-emulator-'));

describe('rubato upload / check / models / generate --api against a real emulator (s3rver, fauxqs and the HTTP API on 127.0.0.1)', () => {
  beforeAll(async () => {
    emulator = await startEmulator({ s3Port: 0, sqsPort: 0, apiPort: 0, logLevel: 'SILENT', training: { ...tinyTraining, engine: 'fast' } });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('rubato upload puts files under uploads/ with the composer as S3 metadata, which preprocessing keeps', async () => {
    for (const variant of [0, 1, 2]) writeFileSync(join(folder, `scale ${variant}.MID`), scaleMidi(64, variant));
    writeFileSync(join(folder, 'broken.mid'), 'not midi');

    const uploaded = await cli(['upload', folder, '--bucket', emulator.bucket, '--composer', 'Chopin', '--endpoint-url', emulator.s3Endpoint]);
    const rejection = await waitFor(() => storedJson(emulator.store, keys.rejected('uploads/broken.mid'), rejectionRecordSchema), 30);
    const metas = await waitFor(async () => {
      const entries = (await emulator.store.list(keys.datasetPrefix('performance'))).filter((entry) => entry.key.endsWith('.json'));
      return entries.length === 3 ? Promise.all(entries.map((entry) => storedJson(emulator.store, entry.key, datasetEntryMetaSchema))) : undefined;
    }, 30);

    expect(uploaded.code).toBe(0);
    expect(uploaded.stdout).toContain('uploads/scale 0.mid');
    expect(uploaded.stdout).toContain('composer Chopin');
    expect(rejection.code).toBe('not-midi');
    expect(metas.map((meta) => [meta?.source, meta?.composer]).sort()).toEqual([
      ['uploads/scale 0.mid', 'Chopin'],
      ['uploads/scale 1.mid', 'Chopin'],
      ['uploads/scale 2.mid', 'Chopin'],
    ]);
  });

  it('rubato check --api shows health, models, a 5 s piece and the model that played it', async () => {
    await waitFor(() => emulator.store.get(keys.latest), 60);

    const checked = await cli(['check', '--api', emulator.apiUrl]);

    expect(checked.code).toBe(0);
    const lines = checked.stdout.trim().split('\n');
    expect(lines[0]).toBe(`rubato check ${emulator.apiUrl}/ (signed for us-east-1 with the emulator's local key)`);
    expect(lines[1]).toMatch(/^ {2}health {4}ok, latest model \S+ {2}\(\d+ ms\)$/);
    expect(lines[2]).toMatch(/^ {2}models {4}\d+ published, latest \S+ {2}\(\d+ ms\)$/);
    expect(lines[3]).toMatch(/^ {2}generate {2}\d\.\d\d s of music: [1-9]\d* notes, \d+ events, seed \d+/);
    // The uploads above queue a training run that may publish (and be promoted) while the check runs, so the model
    // that played need not still be the latest when the line is written.
    expect(lines[4]).toMatch(/^ {2}served {4}\S+( \(latest\))? {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}performance \d+×\d+ {2}NLL \d\.\d{3}/);
    expect(lines[5]).toBe('all good');
  });

  it('rubato models and rubato generate --api answer from the same API', async () => {
    const out = join(folder, 'remote.mid');

    const listed = await cli(['models', '--api', emulator.apiUrl]);
    const generated = await cli(['generate', '--api', emulator.apiUrl, '--out', out, '--seconds', '3', '--seed', '7']);
    const refused = await cli(['generate', '--api', emulator.apiUrl, '--out', out, '--model', 'run-none']);

    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/\(latest\)/);
    expect(generated.code).toBe(0);
    expect(JSON.parse(generated.stdout)).toMatchObject({ out, seed: 7, complete: true });
    expect(parseMidi(new Uint8Array(await readFile(out))).notes.length).toBeGreaterThan(0);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^rubato generate: POST \/generate: .*run-none/);
  });

  it('a check that cannot reach the API fails at health with the reason (exit 1); a malformed --api is one line and exit 2', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const unreachable = await cli(['check', '--api', `http://127.0.0.1:${port}`]);
    const malformed = await cli(['check', '--api', 'not a url']);

    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toContain(`  health    FAILED: no answer from http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(unreachable.stdout.trim().split('\n').at(-1)).toBe('the check failed at the step above');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toBe("rubato check: --api not a url: not a URL; give the stack's ApiUrl output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/\n");
  });
});
