import { describe, expect, it } from 'vitest';
import { signRequest } from '../../../../src/cli/aws/sign-request.js';

// The AWS Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html):
// its example key, scope and date, and the signatures AWS published for each request.
const suite = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 'service',
};
const signingDate = new Date('2015-08-30T12:36:00Z');
const credential = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date';

describe('signRequest against the AWS SigV4 test suite', () => {
  it.each([
    ['get-vanilla', 'GET', 'https://example.amazonaws.com/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['get-vanilla-query-order-key-case', 'GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
    ['post-vanilla', 'POST', 'https://example.amazonaws.com/', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ])('%s gives the published signature', async (_name, method, url, signature) => {
    const headers = await signRequest({ method, url: new URL(url) }, suite, signingDate);

    expect(headers.authorization).toBe(`AWS4-HMAC-SHA256 ${credential}, Signature=${signature}`);
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers).not.toHaveProperty('host');
  });

  it('signs the body, the port in the host and a session token', async () => {
    const url = new URL('http://127.0.0.1:8601/generate');
    const withToken = { ...suite, credentials: { ...suite.credentials, sessionToken: 'token' } };

    const first = await signRequest({ method: 'POST', url, body: '{"seconds":5}' }, withToken, signingDate);
    const otherBody = await signRequest({ method: 'POST', url, body: '{"seconds":6}' }, withToken, signingDate);
    const otherPort = await signRequest({ method: 'POST', url: new URL('http://127.0.0.1:8602/generate'), body: '{"seconds":5}' }, withToken, signingDate);

    expect(first['x-amz-security-token']).toBe('token');
    expect(first.authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-security-token');
    expect(otherBody.authorization).not.toBe(first.authorization);
    expect(otherPort.authorization).not.toBe(first.authorization);
  });
});
