import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

/** An AWS access key, as the SDK's credential chain resolves it. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Who signs and for which service endpoint. */
export interface SigningScope {
  credentials: AwsCredentials;
  region: string;
  /** `execute-api` for an API Gateway API. */
  service: string;
}

export interface RequestToSign {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * The headers that make `request` a Signature Version 4 request (`authorization`, `x-amz-date`, the session token when
 * the credentials carry one, and the given headers), signed by the AWS SDK's own signer. `host` is signed but left out
 * of the result: fetch sends it from the URL, and the two agree because both come from `url.host`.
 *
 * @example
 * const headers = await signRequest({ method: 'GET', url: new URL(`${api}health`) }, { credentials, region: 'eu-west-1', service: 'execute-api' });
 * await fetch(`${api}health`, { headers });
 */
export async function signRequest(request: RequestToSign, scope: SigningScope, signingDate: Date = new Date()): Promise<Record<string, string>> {
  // applyChecksum off: execute-api does not need an x-amz-content-sha256 header (the payload hash is signed anyway).
  const signer = new SignatureV4({ ...scope, sha256: Sha256, applyChecksum: false });
  const { url } = request;
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: queryOf(url.searchParams),
      headers: { ...request.headers, host: url.host },
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    { signingDate },
  );
  const { host: _host, ...headers } = signed.headers;
  return headers;
}

/** The signer's query shape: a repeated name carries all its values, in order. */
function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  return query;
}
