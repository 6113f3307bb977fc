import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CdkAssemblyError, readCdkAssembly, resolveEnvironment } from '../../../emulator/cdk-assembly.js';

describe('resolveEnvironment', () => {
  it('keeps literals and puts the emulated bucket and queue where the template references the stack\'s', () => {
    const environment = resolveEnvironment(
      { BUCKET_NAME: { Ref: 'DataBucketData1234' }, QUEUE_URL: { Ref: 'TrainingQueueRequests' }, TOKENIZER: 'performance' },
      { BUCKET_NAME: 'rubato-data', QUEUE_URL: 'http://sqs.us-east-1.localhost:9324/000000000000/rubato-train-requests' },
    );

    expect(environment).toEqual({ BUCKET_NAME: 'rubato-data', QUEUE_URL: 'http://sqs.us-east-1.localhost:9324/000000000000/rubato-train-requests', TOKENIZER: 'performance' });
  });

  it('refuses a reference it has no stand-in for, naming the variable', () => {
    const resolving = () => resolveEnvironment({ TABLE_NAME: { Ref: 'Table' } }, { BUCKET_NAME: 'rubato-data' });

    expect(resolving).toThrow(CdkAssemblyError);
    expect(resolving).toThrow(/TABLE_NAME/);
  });
});

describe('readCdkAssembly', () => {
  it('says to run cdk synth when the folder holds no rubato template', () => {
    const empty = mkdtempSync(join(tmpdir(), 'rubato-no-cdk-out-'));

    expect(() => readCdkAssembly(empty)).toThrow(/run npx cdk synth first/);
  });
});
