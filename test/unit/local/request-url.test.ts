import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../../src/local/request-url.js';

describe('requestUrl', () => {
  it('keeps a path that starts with // a path (found by the fuzz test: it was a 500)', () => {
    expect(requestUrl('//%E0%A4%A/x?seconds=2')).toMatchObject({ pathname: '//%E0%A4%A/x', search: '?seconds=2', host: 'localhost' });
  });

  it.each(['http://evil.example/health', '*', 'health'])('refuses the target %s with 400', (target) => {
    expect(() => requestUrl(target)).toThrow(expect.objectContaining({ code: 'malformed-request', status: 400 }));
  });
});
