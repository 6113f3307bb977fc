import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiResponseError, ApiUnreachableError, createApiClient } from '../../../../src/cli/aws/api-client.js';
import { apiTarget } from '../../../../src/cli/aws/api-target.js';
import { localSigning } from '../../../../src/cli/aws/local-endpoint.js';
import { signRequest } from '../../../../src/cli/aws/sign-request.js';

/** What the server received, and whether its signature checks out against the same signer with the known key. */
interface Received {
  method: string;
  path: string;
  body: string;
  signatureValid: boolean;
}

/** Recomputes the signature from the request as it arrived (the signed headers, path, query, body and date). */
async function verify(request: IncomingMessage, body: string): Promise<boolean> {
  const authorization = request.headers.authorization ?? '';
  const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers = Object.fromEntries(signedNames.filter((name) => name !== 'host').map((name) => [name, String(request.headers[name])]));
  const stamp = String(request.headers['x-amz-date']);
  const signingDate = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
  const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
  const expected = await signRequest(
    { method: request.method ?? 'GET', url, headers, ...(body ? { body } : {}) },
    { ...localSigning, service: 'execute-api' },
    signingDate,
  );
  return expected.authorization === authorization;
}

const received: Received[] = [];
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({ method: request.method!, path: request.url!, body, signatureValid: await verify(request, body) });
    if (request.url === '/health') return response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","latestRunId":"run-1"}');
    if (request.url === '/generate' && !body.includes('"500"')) {
      const headers = { 'content-type': 'audio/midi', 'x-rubato-run-id': 'run-1', 'x-rubato-seed': '7', 'x-rubato-events': '12', 'x-rubato-seconds': '5.00', 'x-rubato-complete': 'true' };
      return response.writeHead(200, headers).end(Buffer.from('MThd'));
    }
    if (request.url?.startsWith('/forbidden/')) return response.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Forbidden"}');
    response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"invalid-parameter","message":"parameter \\"seconds\\" must be 1-120"}}');
  });
});
let baseUrl: string;

describe('createApiClient against a server that checks each SigV4 signature', () => {
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends GET and POST requests whose signature the same signer reproduces from what arrived', async () => {
    const client = createApiClient(apiTarget(baseUrl));

    const health = await client.health();
    const piece = await client.generate({ seconds: '5', seed: '7' });

    expect(health).toEqual({ status: 'ok', latestRunId: 'run-1' });
    expect(piece).toMatchObject({ runId: 'run-1', seed: 7, events: 12, seconds: 5, complete: true });
    expect(received.slice(-2)).toEqual([
      { method: 'GET', path: '/health', body: '', signatureValid: true },
      { method: 'POST', path: '/generate', body: '{"seconds":"5","seed":"7"}', signatureValid: true },
    ]);
  });

  it("turns rubato's JSON error and API Gateway's 403 into typed errors with the status and reason", async () => {
    const client = createApiClient(apiTarget(baseUrl));
    const forbidden = createApiClient(apiTarget(`${baseUrl}forbidden`));

    const refused = await client.generate({ seconds: '500' }).catch((error: unknown) => error);
    const gateway = await forbidden.health().catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ApiResponseError);
    expect(refused).toMatchObject({ status: 400, code: 'invalid-parameter', message: 'POST /generate: parameter "seconds" must be 1-120' });
    expect(gateway).toMatchObject({ status: 403, code: 'gateway' });
    expect((gateway as Error).message).toMatch(/HTTP 403 Forbidden \(the request was not authorized: check your AWS credentials/);
  });

  it('says which address gave no answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await createApiClient(apiTarget(`http://127.0.0.1:${port}`)).health().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect((error as Error).message).toBe(`no answer from http://127.0.0.1:${port} (ECONNREFUSED)`);
  });
});
