import { Logger } from '@aws-lambda-powertools/logger';

const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL'] as const;
type LogLevel = (typeof levels)[number];

/**
 * One JSON line per entry with the service name, level and timestamp; in a Lambda, `logger.addContext(context)` adds
 * the request id to every line. An unknown level falls back to INFO rather than failing the function at start.
 *
 * @example
 * const logger = createLogger('rubato-preprocess', process.env.LOG_LEVEL);
 * logger.info('upload accepted', { key, digest });
 */
export function createLogger(serviceName: string, level: string | undefined): Logger {
  const upper = (level ?? 'INFO').toUpperCase();
  const logLevel: LogLevel = (levels as readonly string[]).includes(upper) ? (upper as LogLevel) : 'INFO';
  return new Logger({ serviceName, logLevel });
}
