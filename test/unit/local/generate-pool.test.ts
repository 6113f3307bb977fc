import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeneratePool } from '../../../src/local/generate-pool.js';
import { committedShipment } from '../../../src/model/committed-models.js';
import type { LocalServer } from '../../../src/local/local-server.js';
import { parseGenerateParams } from '../../../src/pipeline/generate-params.js';
import { RequestError } from '../../../src/pipeline/request-errors.js';
import { publishShippedModels } from '../../../src/pipeline/shipped-models.js';
import { FsStore } from '../../../src/store/fs-store.js';
import { startTestServer, tinyShippedModels } from '../../support/local-server.js';

describe('GeneratePool bounds its queue (issue 10, item 4)', () => {
  let pool: GeneratePool;
  beforeAll(async () => {
    const bucketDir = join(mkdtempSync(join(tmpdir(), 'rubato-pool-')), 'bucket');
    await publishShippedModels(new FsStore(bucketDir), { ...committedShipment(await tinyShippedModels()), version: 'test' });
    pool = new GeneratePool(bucketDir, 1, 2);
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('refuses a job beyond its worker share at once as busy (503), and runs the rest', async () => {
    const params = parseGenerateParams({ seconds: '1', seed: '1' }, 'query');
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => pool.generate(params, Date.now() + 20_000)));

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(refused).toHaveLength(3);
    for (const { reason } of refused) expect(reason).toEqual(expect.objectContaining({ code: 'busy', status: 503, retryAfterSeconds: 5 }));
  });

  it('does not start a job whose deadline passed while it waited, and says so across the thread boundary', async () => {
    const refusal = pool.generate(parseGenerateParams({ seconds: '1' }, 'query'), Date.now() - 1);

    await expect(refusal).rejects.toBeInstanceOf(RequestError);
    await expect(refusal).rejects.toMatchObject({ code: 'busy', status: 503, retryAfterSeconds: 5 });
  });
});

describe('40 parallel 120-second pieces against a real local server on 127.0.0.1', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers each with music (200, events > 0) or 503 busy with Retry-After — never a 200 without music', async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, (_, seed) => fetch(new URL(`/generate?seconds=120&seed=${seed}`, server.url))));

    const statuses = new Set(responses.map((response) => response.status));
    expect([...statuses].every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses.has(503)).toBe(true);
    for (const response of responses) {
      if (response.status === 200) expect(Number(response.headers.get('x-rubato-events'))).toBeGreaterThan(0);
      else {
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        expect((await response.json()).error.code).toBe('busy');
      }
      if (response.status === 200) await response.arrayBuffer();
    }
  }, 60_000);
});
