import { describe, expect, it, vi } from 'vitest';
import { errorResponse } from '../../../src/http/error-response.js';
import type { RequestLog } from '../../../src/http/http-types.js';
import { badRequest, modelNotFound, noModel, payloadTooLarge, RequestError, serverBusy } from '../../../src/pipeline/request-errors.js';

const quietLog = (): RequestLog => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const bodyOf = (body: string | Uint8Array) => JSON.parse(body as string) as unknown;

describe('errorResponse', () => {
  describe.each([
    { error: badRequest('invalid-parameter', 'parameter "seconds" must be 1–120; got 900'), status: 400, code: 'invalid-parameter', retryAfter: undefined },
    { error: payloadTooLarge('the request body is over 400 KiB'), status: 413, code: 'payload-too-large', retryAfter: undefined },
    { error: modelNotFound('no published model "run-x"'), status: 404, code: 'model-not-found', retryAfter: undefined },
    { error: noModel('no model is published'), status: 503, code: 'no-model', retryAfter: '60' },
    { error: serverBusy('all generate slots are taken'), status: 503, code: 'busy', retryAfter: '5' },
    { error: serverBusy('try later', 12), status: 503, code: 'busy', retryAfter: '12' },
    { error: new RequestError('training-running', 409, 'a run is training'), status: 409, code: 'training-running', retryAfter: undefined },
  ])('$code', ({ error, status, code, retryAfter }) => {
    it(`answers ${status} with the error's code and message`, () => {
      const log = quietLog();

      const response = errorResponse(error, log);

      expect(response.status).toBe(status);
      expect(bodyOf(response.body)).toEqual({ error: { code, message: error.message } });
      expect(response.headers['retry-after']).toBe(retryAfter);
      expect(log.info).toHaveBeenCalledWith('request refused', { status, code, reason: error.message });
    });
  });

  it('answers anything else with a logged 500 that says nothing about the inside', () => {
    const log = quietLog();
    const error = new Error('EACCES: /var/secret/disk');

    const response = errorResponse(error, log);

    expect(response.status).toBe(500);
    expect(bodyOf(response.body)).toEqual({ error: { code: 'internal-error', message: 'something went wrong on our side; the error is logged' } });
    expect(log.error).toHaveBeenCalledWith('request failed', { error });
  });
});
