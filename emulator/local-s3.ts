import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import type { S3Event } from '../functions/preprocess/s3-event.js';
import { S3Store } from '../src/store/s3-store.js';
import { localCredentials, localRegion } from './local-credentials.js';

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /** The bucket as a Store, created unless it already is (s3rver keeps its folder between runs). */
  bucket(name: string): Promise<S3Store>;
  /** Every object-created/removed notification, as S3 would send it (keys exactly as stored). */
  onEvent(listener: (event: S3Event) => void): void;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  /** 0 (default) = any free port. */
  port?: number;
  /** Where objects live; default a temporary folder removed on stop. */
  directory?: string;
}

/**
 * s3rver in this process on 127.0.0.1, with an SDK client configured for it.
 *
 * @example
 * const s3 = await startLocalS3({ port: 4568, directory: '.rubato-emulate/s3' });
 * const store = await s3.bucket('rubato-data');
 */
export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const temporary = options.directory === undefined;
  const directory = temporary ? mkdtempSync(join(tmpdir(), 'rubato-s3rver-')) : resolve(options.directory!);
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: options.port ?? 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
    forcePathStyle: true,
    // s3rver predates the SDK's default checksums: with them it would store the aws-chunked framing as the body.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    async bucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name })).catch((error: unknown) => {
        if (!(error instanceof Error && /BucketAlready/.test(error.name))) throw error;
      });
      return new S3Store({ bucket: name, client });
    },
    onEvent(listener) {
      server.on('event', listener);
    },
    async stop() {
      client.destroy();
      await server.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}
