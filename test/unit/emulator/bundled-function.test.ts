import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionInvocationError, startBundledFunction, type BundledFunction } from '../../../emulator/bundled-function.js';

/** A stand-in bundle that reports what it can reach, as a deployed `index.mjs` would find it. */
const probeBundle = `
const reachable = async (name) => import(name).then(() => true, () => false);
export const handler = async (event, context) => {
  if (event.fail) throw new TypeError('asked to fail');
  return {
    awsSdk: await reachable('@aws-sdk/client-s3'),
    zod: await reachable('zod'),
    nodePath: process.env.NODE_PATH ?? null,
    nodeOptions: process.env.NODE_OPTIONS ?? null,
    bucket: process.env.BUCKET_NAME,
    outsideRepository: !process.cwd().startsWith(event.repository),
    remainingMs: context.getRemainingTimeInMillis(),
  };
};
`;

describe('a function bundle in its own Node process (real child process, as rubato emulate --bundles runs it)', () => {
  let bundled: BundledFunction;
  beforeAll(async () => {
    const assetDir = mkdtempSync(join(tmpdir(), 'rubato-probe-asset-'));
    writeFileSync(join(assetDir, 'index.mjs'), probeBundle);
    bundled = await startBundledFunction({ functionName: 'probe', assetDir, environment: { BUCKET_NAME: 'rubato-data' } });
  });
  afterAll(async () => {
    await bundled?.close();
  });

  it('reaches the AWS SDK the runtime provides and nothing else of the repository, with only the environment it was given', async () => {
    const seen = await bundled.invoke<Record<string, unknown>>({ repository: process.cwd() }, { remainingMs: 10_000 });

    expect(seen).toMatchObject({ awsSdk: true, zod: false, nodePath: null, nodeOptions: null, bucket: 'rubato-data', outsideRepository: true });
    expect(seen.remainingMs).toBeGreaterThan(9_000);
    expect(bundled.coldStartMs).toBeGreaterThan(bundled.initMs);
  });

  it('reports an error the handler throws by its name, and keeps serving', async () => {
    const failing = bundled.invoke({ fail: true });

    await expect(failing).rejects.toBeInstanceOf(FunctionInvocationError);
    await expect(failing).rejects.toThrow('probe: TypeError: asked to fail');
    expect(await bundled.invoke<{ awsSdk: boolean }>({ repository: process.cwd() })).toMatchObject({ awsSdk: true });
  });
});
