import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tokensToBytes } from '../../../../src/dataset/token-bytes.js';

const run = promisify(execFile);

describe('rubato decode', () => {
  it('exits 2 naming a damaged .json sidecar and what to do, instead of a raw JSON error', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rubato-decode-'));
    const tokens = join(folder, `${'a'.repeat(64)}.tokens`);
    writeFileSync(tokens, tokensToBytes(new Uint16Array([60, 300, 188])));
    writeFileSync(join(folder, `${'a'.repeat(64)}.json`), '{"schemaVersion": 1, "tok');

    const failure = await run('node', ['bin/rubato.js', 'decode', tokens, '--out', join(folder, 'out.mid')]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure?.code).toBe(2);
    expect(failure?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failure?.stderr).toMatch(/\.json is damaged \(not JSON .*\): name the tokenizer with --tokenizer/);
  });
});
