import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/local-server.js';
import { defaultGeneratePoolSize } from '../../src/local/generate-pool.js';
import { loadModel, saveModel } from '../../src/model/model-files.js';
import { FsStore } from '../../src/store/fs-store.js';
import { startTestServer, tinyShippedModels } from '../support/local-server.js';

/** The tiny shipped models, plus a copy of `default/` published beside it as `second`. */
async function twoShippedModels(): Promise<string> {
  const folder = await tinyShippedModels();
  const models = new FsStore(folder);
  await saveModel(models, 'second/', await loadModel(models, 'default/'));
  return folder;
}

describe('Promote then Generate (issue 24 item 15, real local server)', () => {
  let server: LocalServer;
  const at = (path: string) => new URL(path, server.url).href;
  const runIdOfNextPiece = async () => (await fetch(at('/generate?seconds=1'))).headers.get('x-rubato-run-id');

  beforeAll(async () => {
    server = await startTestServer({ shippedModelsDir: await twoShippedModels() });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('plays the promoted model from the very next generate on every worker, and the old one after promoting it back', async () => {
    // Every worker samples once first, so each holds the pointer it read (kept for seconds unless told).
    const before = await Promise.all(Array.from({ length: 2 * defaultGeneratePoolSize }, runIdOfNextPiece));
    expect(new Set(before)).toEqual(new Set(['default']));

    for (const runId of ['second', 'default']) {
      expect((await fetch(at(`/models/${runId}/promote`), { method: 'POST' })).status).toBe(200);
      const after = await Promise.all(Array.from({ length: 2 * defaultGeneratePoolSize }, runIdOfNextPiece));
      expect(after).toEqual(after.map(() => runId));
    }
  }, 60_000);
});
