import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkOutputFolder, OutputFolderError } from '../../../../src/cli/commands/output-folder.js';
import { scaleMidi } from '../../../support/tiny-midi.js';

const run = promisify(execFile);

/** Far above the CLI's start-up; a command that spins (the /proc bug) is killed and fails the test instead of hanging. */
const hangTimeoutMs = 30_000;

describe('checkOutputFolder', () => {
  let folder: string;
  let file: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'rubato-output-folder-'));
    file = join(folder, 'notes.txt');
    writeFileSync(file, 'not a folder');
  });

  it('accepts an existing folder and leaves nothing in it', async () => {
    await checkOutputFolder(folder);

    expect(readdirSync(folder)).toEqual(['notes.txt']);
  });

  it('accepts a folder that does not exist yet, without creating it', async () => {
    await checkOutputFolder(join(folder, 'a', 'b'));

    expect(existsSync(join(folder, 'a'))).toBe(false);
  });

  it.each([
    ['an existing file', () => file, 'not-a-folder', /it is a file/],
    ['a path under a file', () => join(file, 'x'), 'not-a-folder', /notes\.txt is a file/],
    ['a path under /proc (recursive mkdir spins there)', () => '/proc/x', 'not-writable', /cannot create folders in \/proc/],
    ['a path under /sys', () => '/sys/x', 'not-writable', /cannot create folders in \/sys/],
  ])('refuses %s', async (_, path, code, message) => {
    const failure = await checkOutputFolder(path()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(OutputFolderError);
    expect(failure).toMatchObject({ code, message: expect.stringMatching(message) });
  });
});

describe('commands taking an output folder (issue 24, item 2: a usage error, not a hang or a raw ENOTDIR)', () => {
  const work = mkdtempSync(join(tmpdir(), 'rubato-output-folder-cli-'));
  const file = join(work, 'a-file');
  writeFileSync(file, 'not a folder');
  // A real piece, so preprocess would get as far as writing its output.
  const piece = join(work, 'piece.mid');
  writeFileSync(piece, scaleMidi());

  it.each([
    [['preprocess', piece, '--out', '/proc/x'], '--out /proc/x'],
    [['preprocess', piece, '--out', file], `--out ${file}`],
    [['train', '--data', '/nonexistent', '--out', '/proc/x'], '--out /proc/x'],
    [['serve', '--port', '0', '--data-dir', file], `--data-dir ${file}`],
    [['serve', '--port', '0', '--data-dir', '/proc/x'], '--data-dir /proc/x'],
    [['emulate', '--s3-port', '0', '--sqs-port', '0', '--api-port', '0', '--data-dir', file], `--data-dir ${file}`],
  ])('%o exits 2 with one line naming the option', async (args, option) => {
    const failure = await run('node', ['bin/rubato.js', ...args], { timeout: hangTimeoutMs }).then(
      () => undefined,
      (error: { code: number | null; signal: string | null; stderr: string }) => error,
    );

    expect(failure?.signal).toBeNull();
    expect(failure?.code).toBe(2);
    expect(failure?.stderr.trim().split('\n')).toEqual([expect.stringContaining(`: ${option}: `)]);
  }, hangTimeoutMs + 5_000);
});
