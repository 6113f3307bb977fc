import { describe, expect, it } from 'vitest';
import { errorFromWire, errorToWire } from '../../../src/local/generate-messages.js';
import { badRequest, noModel, RequestError, serverBusy } from '../../../src/pipeline/request-errors.js';

/** What postMessage does to a value: a structured clone. */
const acrossThreads = (error: unknown) => errorFromWire(structuredClone(errorToWire(error)));

describe('errors across the generate worker boundary', () => {
  it.each([
    badRequest('invalid-primer', 'parameter "primer" is not base64'),
    noModel('no model is published'),
    serverBusy('the request waited in the queue past its deadline', 7),
    new RequestError('some-new-code', 418, 'any request error, whatever its code'),
  ])('keeps $code, its status and Retry-After', (error) => {
    const rebuilt = acrossThreads(error);

    expect(rebuilt).toBeInstanceOf(RequestError);
    expect(rebuilt).toMatchObject({ code: error.code, status: error.status, message: error.message, retryAfterSeconds: error.retryAfterSeconds });
  });

  it('keeps the message and stack of any other error, and no status', () => {
    const error = new TypeError('cannot read properties of undefined');

    const rebuilt = acrossThreads(error);

    expect(rebuilt).not.toBeInstanceOf(RequestError);
    expect(rebuilt.message).toBe(error.message);
    expect(rebuilt.stack).toBe(error.stack);
  });
});
