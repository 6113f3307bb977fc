import { localCredentials, localRegion } from '../../../emulator/local-credentials.js';
import type { AwsCredentials } from './sign-request.js';

/**
 * Whether `url` points at this machine: `rubato emulate`'s S3 and HTTP API, or `rubato serve`. Those take the
 * emulator's own key and region (s3rver refuses any other key), so the same flags work there without AWS credentials.
 *
 * @example
 * isLocalEndpoint(new URL('http://127.0.0.1:8601')) // true
 */
export function isLocalEndpoint(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** What a local endpoint is signed with: the emulator's key and region. */
export const localSigning: { credentials: AwsCredentials; region: string } = { credentials: localCredentials, region: localRegion };
