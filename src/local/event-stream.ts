import type { ServerResponse } from 'node:http';

/** Comment lines every so often keep proxies and browsers from closing an idle stream. */
const keepAliveMs = 15_000;

/**
 * Turns a response into a server-sent event stream: `send(event, data)` writes one event (data as JSON); the stream
 * ends when the client goes away or `close()` is called, and `onClose` runs once either way.
 */
export function openEventStream(response: ServerResponse, onClose: () => void): { send(event: string, data: unknown): void; close(): void } {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  response.write(': rubato training events\n\n');
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
  keepAlive.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    onClose();
    response.end();
  };
  response.on('close', close);
  return {
    send(event, data) {
      if (!closed) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close,
  };
}
