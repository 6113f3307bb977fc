import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('rubato train / eval usage errors', () => {
  it.each([
    [['train', '--data', '/nonexistent', '--out', '/tmp/never', '--batch', '0'], /--batch/],
    [['train', '--data', '/nonexistent', '--out', '/tmp/never', '--threads', '0'], /--threads/],
    [['train', '--data', '/nonexistent', '--out', '/tmp/never'], /--data \/nonexistent: no tokenized files/],
    [['eval', '--model', '/nonexistent', '--data', '/nonexistent', '--split', 'test'], /--split/],
  ])('%o exits 2 naming the option', async (args, message) => {
    const failure = await run('node', ['bin/rubato.js', ...args]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(message);
  });
});
