import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { instructions } from '../../../../src/cli/commands/emulate.js';

const run = promisify(execFile);

async function exitOf(args: string[]): Promise<{ code: number; stderr: string } | undefined> {
  return run('node', ['bin/rubato.js', 'emulate', ...args], { timeout: 30_000 }).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
}

describe('rubato emulate', () => {
  it.each([
    [['--s3-port', 'abc'], /--s3-port/],
    [['--api-port', '70000'], /--api-port/],
    [['--train-minutes', '0'], /--train-minutes/],
    [['--bundles', '/nonexistent-cdk-out', '--s3-port', '0', '--sqs-port', '0', '--api-port', '0'], /--bundles \/nonexistent-cdk-out: .*run npx cdk synth first/],
  ])('%o exits 2 naming the option', async (args, message) => {
    const failure = await exitOf(args);

    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(message);
  });

  it('exits 2 naming the port flags when a port is taken (a real listener on 127.0.0.1)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'rubato-emulate-'));
      const failure = await exitOf(['--data-dir', dataDir, '--s3-port', '0', '--sqs-port', '0', '--api-port', String((taken.address() as AddressInfo).port)]);
      rmSync(dataDir, { recursive: true, force: true });

      expect(failure?.code).toBe(2);
      expect(failure?.stderr).toMatch(/already in use.*--api-port/);
      expect(failure?.stderr).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  });

  it('prints the rubato commands for the endpoints it runs', () => {
    const text = instructions({ s3Endpoint: 'http://127.0.0.1:4568', sqsEndpoint: 'http://127.0.0.1:9324', apiUrl: 'http://127.0.0.1:8601', bucket: 'rubato-data', queueUrl: 'q', deadLetterQueueUrl: 'd', coldStarts: {} } as Parameters<typeof instructions>[0]);

    expect(text).toContain('node bin/rubato.js upload piece.mid --bucket rubato-data --endpoint-url http://127.0.0.1:4568 --composer Chopin');
    expect(text).toContain('node bin/rubato.js check --api http://127.0.0.1:8601');
    expect(text).toContain('node bin/rubato.js generate --api http://127.0.0.1:8601 --out new-piece.mid --seconds 20');
    expect(text).not.toContain('cold start');
  });

  it('prints each bundle\'s cold start when it runs the cdk synth bundles', () => {
    const coldStarts: Parameters<typeof instructions>[0]['coldStarts'] = { 'rubato-generate': { coldStartMs: 1291.4, initMs: 763.2 } };
    const text = instructions({ s3Endpoint: 'http://127.0.0.1:4568', sqsEndpoint: 'http://127.0.0.1:9324', apiUrl: 'http://127.0.0.1:8601', bucket: 'rubato-data', queueUrl: 'q', deadLetterQueueUrl: 'd', coldStarts } as Parameters<typeof instructions>[0]);

    expect(text).toContain('rubato-generate: cold start 1291 ms (init 763 ms)');
  });
});
