import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const packageJson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string }; allowScripts: Record<string, boolean> };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };

/** The smallest Node major an `engines.node` range accepts, for the `>=N` / `^N` / `N.x` forms npm packages use. */
function lowestNodeMajor(range: string): number | undefined {
  const majors = range.split('||').map((part) => /(\d+)/.exec(part.trim())?.[1]).filter((major) => major !== undefined);
  return majors.length === 0 ? undefined : Math.min(...majors.map(Number));
}

describe('package manifest (issue 10, item 9: installs without noise)', () => {
  it('every locked package accepts the Node major the project promises', () => {
    const promised = lowestNodeMajor(packageJson.engines.node)!;
    const tooNew = Object.entries(lock.packages)
      .filter(([, entry]) => !Array.isArray(entry.engines) && typeof entry.engines?.node === 'string')
      .filter(([, entry]) => (lowestNodeMajor((entry.engines as { node: string }).node) ?? 0) > promised)
      .map(([path, entry]) => `${path}@${entry.version}`);

    expect(tooNew).toEqual([]);
  });

  it("denies onnxruntime-node's install script (its CUDA download fails offline) through npm's allowScripts, not an unknown .npmrc key", () => {
    expect(packageJson.allowScripts['onnxruntime-node']).toBe(false);
    expect(() => readFileSync(new URL('.npmrc', root), 'utf8')).toThrow(/ENOENT/);
  });
});
