import { mkdtempSync, writeFileSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFileError, readInputFile } from '../../../src/cli/read-input-file.js';

const folder = mkdtempSync(join(tmpdir(), 'rubato-read-input-'));

describe('readInputFile', () => {
  it('reads a file of up to maxBytes whole', async () => {
    writeFileSync(join(folder, 'small.mid'), 'MThd1234');
    expect(new TextDecoder().decode(await readInputFile(join(folder, 'small.mid'), 8))).toBe('MThd1234');
  });

  it('refuses a sparse 1.2 GB file from its size, allocating nothing near it', async () => {
    const path = join(folder, 'sparse.mid');
    await writeFile(path, '');
    await truncate(path, 1.2e9);
    const before = process.memoryUsage().arrayBuffers;

    const refusal = await readInputFile(path, 16 * 1024 * 1024).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(InputFileError);
    expect(refusal).toMatchObject({ code: 'too-large', message: expect.stringMatching(/1200000000 bytes, over the 16777216-byte limit/) });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it.each([
    ['missing', join(folder, 'nope.mid')],
    ['not-a-file', folder],
  ])('names the file when it is %s', async (code, path) => {
    await expect(readInputFile(path, 100)).rejects.toMatchObject({ code, message: expect.stringContaining(path) });
  });
});
