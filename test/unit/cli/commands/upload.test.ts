import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run('node', ['bin/rubato.js', ...args]).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );

describe('rubato upload refuses bad input in one line, exit 2, before any request', () => {
  const folder = mkdtempSync(join(tmpdir(), 'rubato-upload-'));
  writeFileSync(join(folder, 'a.mid'), 'MThd');
  mkdirSync(join(folder, 'no-midi'));
  writeFileSync(join(folder, 'no-midi', 'notes.txt'), 'not music');

  it.each([
    [['--composer', 'Dvořák'], join(folder, 'a.mid'), 'rubato upload: --composer: ASCII only, as S3 metadata is (e.g. Dvorak)'],
    [['--composer', '1999'], join(folder, 'a.mid'), `rubato upload: --composer: a composer name (letters, spaces, . ' -; at most 64) or "any"`],
    [[], join(folder, 'missing.mid'), `rubato upload: ${join(folder, 'missing.mid')}: no such file or folder`],
    [[], join(folder, 'no-midi'), `rubato upload: no MIDI files (.mid, .midi, .rmi) in ${join(folder, 'no-midi')}`],
    [['--endpoint-url', 'ftp://127.0.0.1'], join(folder, 'a.mid'), 'rubato upload: --endpoint-url: Invalid URL'],
  ])('%j %s', async (options, path, line) => {
    const result = await cli('upload', path, '--bucket', 'rubato-data', ...options);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${line}\n`);
  });
});
