/**
 * Structured logs: one JSON object a line, lowercase messages, ids as fields.
 * Workers Logs and `wrangler tail` parse these as objects.
 */
export type Level = "debug" | "info" | "warn" | "error";

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** enabled tells whether `level` is logged under the configured LOG_LEVEL (default info). */
export const enabled = (configured: string | undefined, level: Level): boolean =>
  RANK[level] >= (RANK[configured as Level] ?? RANK.info);
export type LogFields = Record<string, unknown>;

function write(level: Level, message: string, fields: LogFields): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** log writes structured lines; pass ids (`lease`, `key`, `requestId`) as fields, not in the message. */
export const log = {
  debug: (message: string, fields: LogFields = {}) => write("debug", message, fields),
  info: (message: string, fields: LogFields = {}) => write("info", message, fields),
  warn: (message: string, fields: LogFields = {}) => write("warn", message, fields),
  error: (message: string, fields: LogFields = {}) => write("error", message, fields),
};

/** describeError renders an unknown thrown value for a log line (never for a response). */
export function describeError(err: unknown): LogFields {
  if (err instanceof Error) {
    return {
      error: err.message,
      errorName: err.name,
      stack: err.stack,
      cause: err.cause ? String(err.cause) : undefined,
    };
  }
  return { error: String(err) };
}
