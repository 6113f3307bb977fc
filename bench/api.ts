import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { FsStore } from '../src/store/fs-store.js';
import { bundleFunction } from '../fixtures/bundle-function.js';
import { httpEventFactory, lambdaContextFactory } from '../fixtures/http-event.js';
import { mockBucket } from '../fixtures/mock-bucket.js';
import { storeObjects } from '../fixtures/published-model.js';
import { benchBucket, coldStartQuery } from './api-fixture.js';
import type { Benchmark } from './benchmark.js';

const run = promisify(execFile);
const coldStarts = 3;
const warmRequests = 30;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (ms: number) => Number(ms.toFixed(1));
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

export const benchmark: Benchmark = {
  description: 'generate handler: cold start of the esbuild bundle in fresh processes, warm latency in-process (5 s pieces, S3 mocked over a folder)',
  async run() {
    const bucket = await benchBucket();
    const bundle = await bundleFunction('functions/generate/handler.ts', 'node_modules/.cache/rubato-bench/generate-handler.mjs');
    // The cold-start script is bundled too: run through tsx, the handler bundle would be transpiled again on import.
    const coldStartScript = await bundleFunction('bench/api-cold-start.ts', 'node_modules/.cache/rubato-bench/api-cold-start.mjs');

    const cold: Array<{ importMs: number; firstRequestMs: number }> = [];
    for (let i = 0; i < coldStarts; i++) {
      const { stdout } = await run(process.execPath, [coldStartScript.outfile, bucket.root, `${process.cwd()}/${bundle.outfile}`]);
      cold.push(JSON.parse(stdout.trim().split('\n').at(-1)!));
    }

    process.env.BUCKET_NAME = 'rubato-bench';
    process.env.LOG_LEVEL = 'SILENT';
    const s3 = mockClient(S3Client);
    mockBucket(s3, await storeObjects(new FsStore(bucket.root)));
    const { handler } = await import('../functions/generate/handler.js');
    await handler(httpEventFactory({ path: '/generate', query: coldStartQuery }), lambdaContextFactory());
    const latencies: number[] = [];
    const events: number[] = [];
    for (let seed = 0; seed < warmRequests; seed++) {
      const started = performance.now();
      const result = await handler(httpEventFactory({ path: '/generate', query: { seconds: '5', seed: String(seed) } }), lambdaContextFactory());
      latencies.push(performance.now() - started);
      if (result.statusCode !== 200) throw new Error(`warm request answered ${result.statusCode}: ${result.body}`);
      events.push(Number(result.headers['x-rubato-events']));
    }
    s3.restore();
    const sorted = [...latencies].sort((a, b) => a - b);
    const totalEvents = events.reduce((a, b) => a + b, 0);
    return {
      model: bucket.model,
      loadAverage: Number(loadavg()[0]!.toFixed(1)),
      piece: '5 s of music per request (seconds=5)',
      bundleKiB: Math.round(bundle.bytes / 1024),
      coldStart: {
        runs: coldStarts,
        importMsMedian: round(median(cold.map((c) => c.importMs))),
        firstRequestMsMedian: round(median(cold.map((c) => c.firstRequestMs))),
        totalMsMedian: round(median(cold.map((c) => c.importMs + c.firstRequestMs))),
        firstRequestOverWarmP50Ms: round(median(cold.map((c) => c.firstRequestMs)) - percentile(sorted, 50)),
        note: 'fresh node process per run (no tsx); bundle import, then first request (model load from the mocked bucket + sampling); the AWS SDK is loaded before the clock',
      },
      warm: {
        requests: warmRequests,
        p50Ms: round(percentile(sorted, 50)),
        p99Ms: round(percentile(sorted, 99)),
        meanEventsPerRequest: Math.round(totalEvents / warmRequests),
        msPerEvent: Number((latencies.reduce((a, b) => a + b, 0) / totalEvents).toFixed(3)),
      },
    };
  },
};
