import { existsSync, mkdtempSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../src/local/local-server.js';
import { committedModelsDir, defaultModelDir } from '../src/model/committed-models.js';
import { saveModel } from '../src/model/model-files.js';
import { FsStore } from '../src/store/fs-store.js';
import { randomDefaultModel } from './generate.js';
import type { Benchmark } from './benchmark.js';

const secondsPerLevel = 10;
const pieceSeconds = 2;

/** One GET on a keep-alive agent; resolves the status once the whole body has arrived. */
function request(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      response.on('data', () => {});
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** `clients` closed loops (each sends its next request when the last one answered) for `seconds`. */
async function closedLoop(baseUrl: string, clients: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let failures = 0;
  let seed = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const sent = performance.now();
        const status = await request(agent, `${baseUrl}generate?seconds=${pieceSeconds}&seed=${seed++}`);
        if (status === 200) latencies.push(performance.now() - sent);
        else failures += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1));
  return { clients, requests: latencies.length, failures, requestsPerSecond: Number((latencies.length / elapsed).toFixed(1)), p50Ms: quantile(0.5), p99Ms: quantile(0.99) };
}

export const benchmark: Benchmark = {
  description: `GET /generate?seconds=${pieceSeconds} on the local server over loopback: requests/s and p50/p99 latency, 8 and 32 closed-loop keep-alive clients, ${secondsPerLevel} s each`,
  async run() {
    const hasDefault = existsSync(join(defaultModelDir, 'manifest.json'));
    let modelsDir = committedModelsDir;
    if (!hasDefault) {
      modelsDir = mkdtempSync(join(tmpdir(), 'rubato-bench-models-'));
      await saveModel(new FsStore(modelsDir), 'default/', randomDefaultModel());
    }
    const server = await startLocalServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'rubato-bench-serve-')), shippedModelsDir: modelsDir });
    try {
      await closedLoop(server.url, 2, 2); // warm-up: model load, JIT
      const levels = [];
      for (const clients of [8, 32]) levels.push(await closedLoop(server.url, clients, secondsPerLevel));
      return {
        model: hasDefault ? 'models/default' : 'random default-shape model (models/default absent)',
        pieceSeconds,
        levels,
      };
    } finally {
      await server.close();
    }
  },
};
