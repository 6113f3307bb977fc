import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { isLocalEndpoint, localSigning } from './local-endpoint.js';
import type { AwsCredentials } from './sign-request.js';

/** A deployed or local rubato API, and how requests to it are signed. */
export interface ApiTarget {
  /** The API's base URL, ending in `/` so route names resolve under it. */
  baseUrl: URL;
  region: string;
  credentials: () => Promise<AwsCredentials>;
  /** Where the key comes from, for messages. */
  signedWith: string;
}

/** `--api` is not a URL an API answers at, or no region can be found for it. */
export class ApiTargetError extends Error {
  override name = 'ApiTargetError';
}

// The stack's ApiUrl output: https://<id>.execute-api.<region>.amazonaws.com/ (amazonaws.com.cn in China).
const executeApiHost = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/**
 * Resolves `--api URL`: the region from an `execute-api` host (else `region`, i.e. `--region` or AWS_REGION), the
 * credentials from the AWS SDK's default chain (environment, `~/.aws` profiles and SSO, container and instance roles).
 * A URL on this machine is signed with the emulator's key instead, so no AWS account is needed there.
 *
 * @example
 * const target = apiTarget('https://abc123.execute-api.eu-west-1.amazonaws.com/');
 * // target.region === 'eu-west-1'
 */
export function apiTarget(url: string, region: string | undefined = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION): ApiTarget {
  let baseUrl: URL;
  try {
    baseUrl = new URL(url.endsWith('/') ? url : `${url}/`);
  } catch {
    throw new ApiTargetError(`--api ${url}: not a URL; give the stack's ApiUrl output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/`);
  }
  if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') {
    throw new ApiTargetError(`--api ${url}: must be an http:// or https:// URL`);
  }
  if (baseUrl.search || baseUrl.hash) throw new ApiTargetError(`--api ${url}: give the API's base URL, without a query`);
  if (isLocalEndpoint(baseUrl)) {
    const { credentials, region: localRegion } = localSigning;
    return { baseUrl, region: localRegion, credentials: async () => credentials, signedWith: "the emulator's local key" };
  }
  const resolvedRegion = executeApiHost.exec(baseUrl.hostname)?.[1] ?? region;
  if (!resolvedRegion) {
    throw new ApiTargetError(`--api ${url}: cannot tell its AWS region from the host name; pass --region or set AWS_REGION`);
  }
  return { baseUrl, region: resolvedRegion, credentials: defaultProvider(), signedWith: 'your AWS credentials' };
}
