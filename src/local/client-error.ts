import type { Duplex } from 'node:stream';

/**
 * Answers a request Node's HTTP parser refused (malformed framing, oversized headers) with the API's JSON error
 * instead of Node's bare 400, then closes the connection: the stream cannot be trusted to hold another request.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const [status, reason, code] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'headers-too-large'] : [400, 'Bad Request', 'malformed-request'];
  const body = JSON.stringify({ error: { code, message: `the request is not well-formed HTTP/1.1 (${error.code ?? 'parse error'})` } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
