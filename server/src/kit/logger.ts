import { traceFields } from "../telemetry/trace-fields";

/**
 * Structured JSON logs. Every field passes through `redact` first, so a password, token, key or secret that
 * ends up in a log call by mistake is written as "[redacted]" (DESIGN.md §5: logs never contain secrets).
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

// Matched against field names at any depth. Broad on purpose: a false positive costs a log field, a false
// negative leaks a credential.
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|^key$|_key$|hash|credential/i;
const REDACTED = "[redacted]";
const MAX_DEPTH = 6;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return "[deep]";
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : redact(item, depth + 1);
    }
    return out;
  }
  return value;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  /** Lowest level written. Default `info`. */
  readonly level?: LogLevel;
  /** One JSON line per call. Default: process.stdout. */
  readonly write?: (line: string) => void;
}

export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const minimum = LEVELS[options.level ?? "info"];
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  function log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (LEVELS[level] < minimum) return;
    const entry = {
      time: new Date().toISOString(),
      level,
      msg: message,
      ...traceFields(),
      ...(redact(fields) as object),
    };
    write(`${JSON.stringify(entry)}\n`);
  }
  return {
    debug: (message, fields) => log("debug", message, fields),
    info: (message, fields) => log("info", message, fields),
    warn: (message, fields) => log("warn", message, fields),
    error: (message, fields) => log("error", message, fields),
  };
}

export const silentServerLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
