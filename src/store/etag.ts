import { createHash } from 'node:crypto';

/**
 * The ETag S3 gives a single-part upload without KMS (the bucket's S3-managed encryption): the MD5 of the bytes, in
 * quotes. The filesystem store names its versions the same way.
 *
 * @example
 * etagOf(new TextEncoder().encode('v1')); // '"1b…"'
 */
export function etagOf(bytes: Uint8Array): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}
