import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../src/local/local-server.js';
import { findRepositoryRoot } from '../../src/workers/repository-root.js';
import { smallPiece, startTestServer, tinyShippedModels, tinyTrainOverrides } from '../support/local-server.js';

/** A crash mid-write leaves a cut object; a bug or a hand edit leaves JSON of the wrong shape. */
const damages = {
  'cut short': '{"schemaVersion": 1, "runId": "tra',
  'the wrong shape': '{"schemaVersion": 1}',
};

/** Every route a user or the page calls on a start, each answered twice (the page polls; damage is logged once). */
const routes = ['/models', '/generate?seconds=2&seed=1', '/api/files', '/api/runs/trained/progress', '/health', '/api/train'];

interface Bucket {
  dataDir: string;
  shippedModelsDir: string;
  /** The accepted upload's dataset entry, relative to the bucket. */
  entryKey: string;
}

/**
 * A data folder holding one of each persisted JSON object: an accepted and a rejected upload, a trained model
 * (`trained`, a copy of the shipped one with a loss history) that `latest` names, the models index and the local
 * training record.
 */
async function prepareBucket(): Promise<Bucket> {
  const shippedModelsDir = await tinyShippedModels();
  const server = await startTestServer({ shippedModelsDir });
  const bucket = join(server.dataDir, 'bucket');
  try {
    const upload = (name: string, body: Uint8Array) =>
      fetch(new URL(`/api/uploads?name=${name}`, server.url), { method: 'POST', body: Buffer.from(body), headers: { 'content-type': 'audio/midi' } });
    expect((await upload('good.mid', smallPiece(1))).status).toBe(200);
    expect((await upload('bad.mid', new TextEncoder().encode('not midi'))).status).toBe(422);
    cpSync(join(bucket, 'models/default'), join(bucket, 'models/trained'), { recursive: true });
    const history = readFileSync(join(findRepositoryRoot(), 'models/default/progress.jsonl'), 'utf8').split('\n').slice(0, 5);
    writeFileSync(join(bucket, 'models/trained/progress.jsonl'), `${history.join('\n')}\n`);
    expect((await fetch(new URL('/models/trained/promote', server.url), { method: 'POST' })).status).toBe(200);
    mkdirSync(join(bucket, 'local'), { recursive: true });
    const record = { schemaVersion: 1, runId: 'trained', minutes: 1, state: 'finished', promoted: true, reason: 'promoted by hand' };
    writeFileSync(join(bucket, 'local/training.json'), JSON.stringify(record));
  } finally {
    await server.close();
  }
  const entry = readdirSync(join(bucket, 'datasets/performance')).find((name) => /^[0-9a-f]{64}\.json$/.test(name))!;
  return { dataDir: server.dataDir, shippedModelsDir, entryKey: `datasets/performance/${entry}` };
}

/** Each persisted JSON kind the local server reads, and what a user should see while it is damaged. */
const kinds = [
  { kind: 'local/training.json', key: () => 'local/training.json', served: 'trained' },
  { kind: "the latest model's manifest.json", key: () => 'models/trained/manifest.json', served: 'default', listed: false },
  { kind: "the latest model's model.json", key: () => 'models/trained/model.json', served: 'default' },
  { kind: "an accepted upload's dataset entry", key: (bucket: Bucket) => bucket.entryKey, served: 'trained', damagedFile: 'good.mid' },
  { kind: "a rejected upload's record", key: () => 'rejected/uploads/bad.mid.json', served: 'trained', damagedFile: 'bad.mid' },
  { kind: 'models/index.json', key: () => 'models/index.json', served: 'trained' },
];

describe('damaged state (real local server): every persisted JSON corrupted in turn (issue 24, item 4)', () => {
  let bucket: Bucket;
  beforeAll(async () => {
    bucket = await prepareBucket();
  }, 60_000);

  describe.each(kinds)('$kind', ({ key, served, listed = true, damagedFile }) => {
    it.each(Object.entries(damages))('%s: the server starts, no route answers 500, the shipped model stands in, the damage is logged once', async (_damage, text) => {
      const path = join(bucket.dataDir, 'bucket', key(bucket));
      const original = readFileSync(path);
      writeFileSync(path, text);
      const lines: string[] = [];
      const server = await startLocalServer({ port: 0, dataDir: bucket.dataDir, shippedModelsDir: bucket.shippedModelsDir, train: tinyTrainOverrides, log: (line) => lines.push(line) });
      try {
        const answers = [];
        for (const route of [...routes, ...routes]) {
          const response = await fetch(new URL(route, server.url));
          const body = response.headers.get('content-type')?.startsWith('application/json') ? await response.json() : await response.arrayBuffer();
          answers.push({ route, status: response.status, runId: response.headers.get('x-rubato-run-id'), body });
        }

        expect(answers.map(({ route, status }) => [route, status])).toEqual([...routes, ...routes].map((route) => [route, 200]));
        expect(answers.filter((answer) => answer.route.startsWith('/generate')).map((answer) => answer.runId)).toEqual([served, served]);
        const models = answers.find((answer) => answer.route === '/models')!.body as { models: Array<{ runId: string }> };
        expect(models.models.map((model) => model.runId).sort()).toEqual(listed ? ['default', 'trained'] : ['default']);
        const { files } = answers.find((answer) => answer.route === '/api/files')!.body as { files: Array<{ name: string; status: string; message?: string }> };
        const damaged = files.filter((file) => file.status === 'damaged');
        expect(damaged.map((file) => file.name)).toEqual(damagedFile ? [damagedFile] : []);
        for (const file of damaged) expect(file.message).toContain(key(bucket));
        expect(lines.filter((line) => line.includes(key(bucket)))).toHaveLength(1);
      } finally {
        await server.close();
        writeFileSync(path, original);
      }
    }, 60_000);
  });
});
