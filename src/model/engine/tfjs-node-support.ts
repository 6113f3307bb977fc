import { createRequire } from 'node:module';
import * as nodeUtil from 'node:util';

/** The newest tfjs-node release that calls `util.isNullOrUndefined` (fixed by tensorflow/tfjs#8425, not yet released). */
const lastReleaseNeedingUtilIs = [4, 22, 0] as const;

/**
 * Why `@tensorflow/tfjs-node` cannot train on this Node although it imports, or undefined when nothing is known
 * against it: releases up to 4.22.0 call `util.isNullOrUndefined`, which Node 23 removed, so every op they run throws
 * (tensorflow/tfjs#8609).
 *
 * @example
 * tfjsNodeRuntimeGap('4.22.0', {}) // 'version 4.22.0 calls util.isNullOrUndefined, which Node … no longer has (tensorflow/tfjs#8609)'
 */
export function tfjsNodeRuntimeGap(version: string | undefined, util: object = nodeUtil): string | undefined {
  if (version === undefined || 'isNullOrUndefined' in util) return undefined;
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  const [lastMajor, lastMinor, lastPatch] = lastReleaseNeedingUtilIs;
  const newer = major !== lastMajor ? major > lastMajor : minor !== lastMinor ? minor > lastMinor : patch > lastPatch;
  if (newer) return undefined;
  return `version ${version} calls util.isNullOrUndefined, which Node ${process.versions.node} no longer has (tensorflow/tfjs#8609)`;
}

/** The installed `@tensorflow/tfjs-node`'s version, or undefined when it is not installed (it is optional). */
export function installedTfjsNodeVersion(): string | undefined {
  try {
    return (createRequire(import.meta.url)('@tensorflow/tfjs-node/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
}
