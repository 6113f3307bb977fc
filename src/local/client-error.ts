import type { Duplex } from 'node:stream';

/**
 * Answers a request Node's HTTP parser refused (malformed framing, oversized headers) or gave up on (headers or body
 * past the server's timeouts: 408) with the API's JSON error instead of Node's bare one, then closes the connection:
 * the stream cannot be trusted to hold another request.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const [status, reason, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'request-timeout', 'the request did not arrive in time: send its headers and body at once, not piece by piece']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'headers-too-large', `the request is not well-formed HTTP/1.1 (${error.code})`]
        : [400, 'Bad Request', 'malformed-request', `the request is not well-formed HTTP/1.1 (${error.code ?? 'parse error'})`];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
