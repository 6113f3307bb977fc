import type { PipelineLog } from '../log/log.js';
import type { Queue, QueueMessage } from '../queue/queue.js';

/**
 * Keeps `messages` hidden while their work runs: every `everySeconds`, extends each one's visibility to
 * `visibilitySeconds` from now. A failed extension is logged, not thrown: the work goes on, and at worst the message
 * is delivered again and resumes from the checkpoint. Returns the function that stops it.
 *
 * @example
 * const stop = startHeartbeat(queue, messages, { everySeconds: 60, visibilitySeconds: 180, log });
 * try { await work(); } finally { stop(); }
 */
export function startHeartbeat(
  queue: Queue,
  messages: readonly QueueMessage[],
  options: { everySeconds: number; visibilitySeconds: number; log: PipelineLog },
): () => void {
  const timer = setInterval(() => {
    for (const message of messages) {
      queue.extend(message, options.visibilitySeconds).catch((error: unknown) => {
        options.log.warn('could not extend message visibility', { messageId: message.id, error });
      });
    }
  }, options.everySeconds * 1000);
  return () => clearInterval(timer);
}
