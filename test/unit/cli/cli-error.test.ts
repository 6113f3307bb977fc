import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeCliError } from '../../../src/cli/cli-error.js';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run('node', ['bin/rubato.js', ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe('describeCliError', () => {
  it('turns an unexpected error into one line and exit 1, the stack only with RUBATO_DEBUG', () => {
    const error = new Error('disk full\nmore detail');
    expect(describeCliError(error, false)).toEqual({ line: 'rubato: disk full (RUBATO_DEBUG=1 shows the stack)', status: 1 });
    expect(describeCliError(error, true).line).toMatch(/^rubato: disk full\nError: disk full/);
  });

  it('names --port for a busy port, exit 2', () => {
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', address: '127.0.0.1', port: 8600 });
    expect(describeCliError(busy, false)).toEqual({ line: 'rubato serve: 127.0.0.1:8600 is already in use; pass another --port (--port 0 picks a free one) or --host', status: 2 });
  });
});

describe('the real rubato CLI (issue 10, item 7)', () => {
  it('prints its version', async () => {
    const result = await cli('--version');
    expect(result).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('serve on a busy port on 127.0.0.1: one line naming --port, exit 2', async () => {
    const other = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    try {
      const { port } = other.address() as AddressInfo;
      const result = await cli('serve', '--port', String(port), '--data-dir', `${process.env.TMPDIR ?? '/tmp'}/rubato-busy-port`);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`rubato serve: 127.0.0.1:${port} is already in use; pass another --port (--port 0 picks a free one) or --host`);
    } finally {
      other.close();
    }
  }, 30_000);
});
