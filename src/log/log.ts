/**
 * Keys `@aws-lambda-powertools/logger` writes on every line itself: a detail under one of them is dropped, with a
 * warning line instead of the value (an upload's rejection `message` was lost that way), so the type refuses them.
 */
type ReservedLogKey = 'level' | 'message' | 'sampling_rate' | 'service' | 'timestamp';

/** A log line's fields: any JSON-able details except the logger's own keys (say `reason`, not `message`). */
export type LogDetails = Record<string, unknown> & { [key in ReservedLogKey]?: never };

/**
 * Structured logging the use cases need. `@aws-lambda-powertools/logger`'s Logger fits it (see `createLogger`); so
 * does a test spy. Details are JSON fields, not text to parse.
 */
export interface PipelineLog {
  info(message: string, details: LogDetails): void;
  warn(message: string, details: LogDetails): void;
  error(message: string, details: LogDetails): void;
}

/** Drops everything: the default when a caller passes no log. */
export const silentLog: PipelineLog = { info: () => {}, warn: () => {}, error: () => {} };
