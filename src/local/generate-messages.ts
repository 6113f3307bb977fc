import type { GenerateParams } from '../pipeline/generate-params.js';
import { RequestError } from '../pipeline/request-errors.js';

/** What the generate pool's worker is started with. */
export interface GenerateWorkerSetup {
  /** Root of the filesystem store the worker loads models from. */
  bucketDir: string;
}

/**
 * Main thread → worker: a piece to sample, or word that `models/latest.json` changed (a promotion, a publish), so the
 * worker's cache reads the pointer again before its next piece instead of when its time-to-live runs out.
 */
export type GenerateJob =
  | {
      kind: 'generate';
      params: GenerateParams;
      /** Epoch ms by which sampling must stop. */
      deadline: number;
    }
  | { kind: 'latest-changed' };

/** An error as it crosses the thread boundary: message and stack, and a request error's code, status and Retry-After. */
export interface WireError {
  message: string;
  stack?: string;
  request?: { code: string; status: number; retryAfterSeconds?: number };
}

/** Flattens an error for postMessage, keeping what the HTTP layer answers a request error with. */
export function errorToWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { message: String(error) };
  const { message, stack } = error;
  if (error instanceof RequestError) {
    const { code, status, retryAfterSeconds } = error;
    return { message, request: { code, status, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) } };
  }
  return { message, ...(stack ? { stack } : {}) };
}

/** Rebuilds the error a worker threw, so the HTTP layer answers a request error with the same status as in-process. */
export function errorFromWire(wire: WireError): Error {
  if (wire.request) return new RequestError(wire.request.code, wire.request.status, wire.message, wire.request.retryAfterSeconds);
  const error = new Error(wire.message);
  if (wire.stack) error.stack = wire.stack;
  return error;
}
