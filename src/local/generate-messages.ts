import type { GenerateParams } from '../pipeline/generate-params.js';
import { BadRequestError, ModelNotFoundError, NoModelError, PayloadTooLargeError, ServerBusyError } from '../pipeline/request-errors.js';

/** What the generate pool's worker is started with. */
export interface GenerateWorkerSetup {
  /** Root of the filesystem store the worker loads models from. */
  bucketDir: string;
}

/** One generate job, main thread → worker. */
export interface GenerateJob {
  params: GenerateParams;
  /** Epoch ms by which sampling must stop. */
  deadline: number;
}

/** An error as it crosses the thread boundary: the typed request errors travel by their stable `code`. */
export interface WireError {
  code?: string;
  message: string;
  stack?: string;
}

/** Flattens an error for postMessage, keeping the code of the typed request errors. */
export function errorToWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { message: String(error) };
  const typed =
    error instanceof BadRequestError || error instanceof PayloadTooLargeError || error instanceof NoModelError || error instanceof ModelNotFoundError || error instanceof ServerBusyError;
  return { ...(typed ? { code: error.code } : {}), message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}

/** Rebuilds the typed error a worker threw, so the HTTP layer maps it to the same status as in-process. */
export function errorFromWire(wire: WireError): Error {
  switch (wire.code) {
    case 'no-model':
      return new NoModelError(wire.message);
    case 'busy':
      return new ServerBusyError(wire.message);
    case 'model-not-found':
      return new ModelNotFoundError(wire.message);
    case 'payload-too-large':
      return new PayloadTooLargeError(wire.message);
    case 'invalid-parameter':
    case 'unknown-parameter':
    case 'invalid-json':
    case 'invalid-primer':
      return new BadRequestError(wire.code, wire.message);
  }
  const error = new Error(wire.message);
  if (wire.stack) error.stack = wire.stack;
  return error;
}
