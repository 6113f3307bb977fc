import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installedTfjsNodeVersion, tfjsNodeRuntimeGap } from '../../../../src/model/engine/tfjs-node-support.js';

/** node:util as Node 22 and older have it, and as Node 23+ do. */
const utilOf = {
  with: { isNullOrUndefined: (value: unknown) => value === null || value === undefined },
  without: {},
};

describe('tfjsNodeRuntimeGap', () => {
  it.each([
    ['4.22.0', 'without', true],
    ['4.21.3', 'without', true],
    ['4.22.0', 'with', false],
    ['4.22.1', 'without', false],
    ['5.0.0', 'without', false],
    [undefined, 'without', false],
  ] as const)('tfjs-node %s on a Node %s util.isNullOrUndefined: blocked %s', (version, util, blocked) => {
    const gap = tfjsNodeRuntimeGap(version, utilOf[util]);

    expect(gap !== undefined).toBe(blocked);
    if (blocked) expect(gap).toBe(`version ${version} calls util.isNullOrUndefined, which Node ${process.versions.node} no longer has (tensorflow/tfjs#8609)`);
  });

  // An optional dependency: where its install script fails, npm may keep its JavaScript or drop the package whole.
  it("reads the installed package's version, and none where npm left the package out", () => {
    const packageJson = join(dirname(fileURLToPath(import.meta.url)), '../../../../node_modules/@tensorflow/tfjs-node/package.json');
    const expected = existsSync(packageJson) ? (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version : undefined;

    expect(installedTfjsNodeVersion()).toBe(expected);
    if (expected !== undefined) expect(expected).toMatch(/^\d+\.\d+\.\d+/);
  });
});
