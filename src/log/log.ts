/**
 * Structured logging the use cases need. `@aws-lambda-powertools/logger`'s Logger fits it (see `createLogger`); so
 * does a test spy. Details are JSON fields, not text to parse.
 */
export interface PipelineLog {
  info(message: string, details: Record<string, unknown>): void;
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

/** Drops everything: the default when a caller passes no log. */
export const silentLog: PipelineLog = { info: () => {}, warn: () => {}, error: () => {} };
