/**
 * One cold start, run (bundled) in a fresh process by bench/api.ts: `node api-cold-start.mjs <bucket> <handler bundle>`.
 * Prints `{ importMs, firstRequestMs }` as JSON. The S3 mock (and with it the AWS SDK, which the Lambda runtime
 * provides) is loaded before the clock starts.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { FsStore } from '../src/store/fs-store.js';
import { httpEventFactory, lambdaContextFactory } from '../fixtures/http-event.js';
import { mockBucket } from '../fixtures/mock-bucket.js';
import { storeObjects } from '../fixtures/published-model.js';
import { coldStartQuery } from './api-fixture.js';

const [bucketRoot, bundlePath] = process.argv.slice(2);
process.env.BUCKET_NAME = 'rubato-bench';
process.env.LOG_LEVEL = 'SILENT';
mockBucket(mockClient(S3Client), await storeObjects(new FsStore(bucketRoot!)));

const started = performance.now();
const { handler } = (await import(bundlePath!)) as typeof import('../functions/generate/handler.js');
const imported = performance.now();
const result = await handler(httpEventFactory({ path: '/generate', query: coldStartQuery }), lambdaContextFactory());
const answered = performance.now();
if (result.statusCode !== 200) throw new Error(`cold request answered ${result.statusCode}: ${result.body}`);
console.log(JSON.stringify({ importMs: imported - started, firstRequestMs: answered - imported }));
