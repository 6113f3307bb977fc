import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isLocalEndpoint, localSigning } from './local-endpoint.js';

export interface UploadTarget {
  bucket: string;
  /** `--endpoint-url`, else AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (as the AWS CLI reads them); absent: AWS S3. */
  endpoint?: string;
  region?: string;
}

export interface UploadClient {
  /** Where objects go, for messages: `s3://bucket/` or the endpoint's bucket. */
  describe: string;
  put(key: string, body: Uint8Array, composer?: string): Promise<void>;
  close(): void;
}

/**
 * Puts uploads in the stack's bucket with the AWS SDK (credentials and region from its default chain), the composer as
 * the object metadata `composer` the preprocess function reads. An endpoint on this machine is `rubato emulate`'s
 * s3rver: signed with its key, path-style, and without the SDK's default checksums, whose aws-chunked framing s3rver
 * would store as the body.
 *
 * @example
 * const uploads = uploadClient({ bucket: 'rubato-data', endpoint: 'http://127.0.0.1:4568' });
 * await uploads.put('uploads/etude.mid', bytes, 'Chopin');
 */
export function uploadClient(target: UploadTarget, env: NodeJS.ProcessEnv = process.env): UploadClient {
  const endpoint = target.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const local = endpoint !== undefined && isLocalEndpoint(new URL(endpoint));
  const client = new S3Client({
    ...(target.region ? { region: target.region } : {}),
    // Another S3-compatible server rarely has per-bucket host names.
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(local ? { ...localSigning, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  });
  return {
    describe: endpoint ? `${endpoint} bucket ${target.bucket}` : `s3://${target.bucket}/`,
    async put(key, body, composer) {
      const metadata = composer ? { Metadata: { composer } } : {};
      await client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body, ContentType: 'audio/midi', ...metadata }));
    },
    close: () => client.destroy(),
  };
}
