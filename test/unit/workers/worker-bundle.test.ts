import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleFolder, workerBundleUrl } from '../../../src/workers/worker-bundle.js';
import { workerEntries } from '../../../src/workers/worker-entries.js';

let root: string;

/** A throwaway checkout whose tokenize entry imports one helper module. */
function checkout(helper: string): string {
  root = mkdtempSync(join(tmpdir(), 'rubato-bundle-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'rubato', type: 'module' }));
  const entry = join(root, workerEntries.tokenize);
  mkdirSync(join(entry, '..'), { recursive: true });
  writeFileSync(entry, "import { greeting } from './helper.js';\nconsole.log(greeting);\n");
  writeFileSync(join(entry, '../helper.ts'), helper);
  return root;
}

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('workerBundleUrl', () => {
  it('bundles an entry with its imports into dist/workers on first use (plain JavaScript, no TypeScript left)', async () => {
    checkout("export const greeting: string = 'first';\n");

    const url = await workerBundleUrl('tokenize', root);

    expect(fileURLToPath(url)).toBe(join(root, bundleFolder, 'tokenize.mjs'));
    const text = readFileSync(url, 'utf8');
    expect(text).toContain('"first"');
    expect(text).not.toContain(': string');
  });

  it('reuses a current bundle and rebuilds it when an imported source changes', async () => {
    checkout("export const greeting = 'first';\n");
    const file = fileURLToPath(await workerBundleUrl('tokenize', root));
    const built = statSync(file).mtimeMs;

    await workerBundleUrl('tokenize', root);
    const reused = statSync(file).mtimeMs;
    writeFileSync(join(root, 'src/dataset/helper.ts'), "export const greeting = 'second';\n");
    await workerBundleUrl('tokenize', root);

    expect(reused).toBe(built);
    expect(readFileSync(file, 'utf8')).toContain('"second"');
  });
});
