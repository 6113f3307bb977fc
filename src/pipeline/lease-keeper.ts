import type { PipelineLog } from '../log/log.js';
import type { TrainerLease } from './trainer-lease.js';

/** Keeps a held lease renewed while a run trains, and says when it is lost. */
export interface LeaseKeeper {
  /** Aborts once the lease is lost: taken over by another trainer, or not renewed within its time to live. */
  readonly lost: AbortSignal;
  /**
   * Renews now, before work only the holder may do (publish, prune); resolves whether the lease is still held (a
   * renewal that failed within the time to live leaves it held: no rival can have taken it yet).
   */
  confirm(): Promise<boolean>;
  stop(): void;
}

/**
 * Renews `lease` every third of `ttlSeconds`. A renewal another trainer refuses (it took the lease over) loses the
 * lease at once; a renewal that fails (the bucket unreachable) is tried again, and the lease counts as lost once
 * `ttlSeconds` have passed since the last good one, because from then on a rival may take it.
 *
 * @example
 * const keeper = keepLease(lease, { ttlSeconds: 300, log });
 * try { await train({ signal: AbortSignal.any([userStop, keeper.lost]) }); if (await keeper.confirm()) await publish(); }
 * finally { keeper.stop(); await lease.release(); }
 */
export function keepLease(lease: TrainerLease, options: { ttlSeconds: number; log: PipelineLog; now?: () => number }): LeaseKeeper {
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  let renewedAt = now();
  const lose = (reason: string) => {
    if (controller.signal.aborted) return;
    options.log.warn(`${reason}: the run stops at a checkpoint and does not publish`, { holder: lease.holder });
    controller.abort(new Error(reason));
  };
  const attempt = async (): Promise<void> => {
    if (controller.signal.aborted) return;
    try {
      if (await lease.renew()) renewedAt = now();
      else lose('the trainer lease was taken over by another trainer');
    } catch (error) {
      if (now() - renewedAt >= options.ttlSeconds * 1000) lose(`the trainer lease could not be renewed for ${options.ttlSeconds} s (${String(error)})`);
      else options.log.warn('could not renew the trainer lease; trying again', { error: String(error) });
    }
  };
  // One renewal at a time: two with the same ETag would see each other's write as a rival's.
  let renewing: Promise<void> | undefined;
  const renew = (): Promise<void> => (renewing ??= attempt().finally(() => (renewing = undefined)));
  const timer = setInterval(() => void renew(), (options.ttlSeconds / 3) * 1000);
  timer.unref();
  return {
    lost: controller.signal,
    confirm: async () => {
      await renewing;
      await renew();
      return !controller.signal.aborted;
    },
    stop: () => clearInterval(timer),
  };
}
