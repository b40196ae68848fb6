import type { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';

/**
 * The API's one logger: pino, writing one JSON object per line (newline-delimited JSON) to
 * stdout, or plain readable text when stdout is a terminal. Nest's own lines (bootstrap,
 * migrations, projection runners, every `new Logger(context)`) go through it via nestjs-pino's
 * LoggerService; the access log (request-log.ts) writes to it directly. See docs/operations/logs.md.
 */
export type ApiLogger = Pino;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL: trace, debug, info (default), warn, error, fatal or silent. Anything else refuses to start. */
export function readLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevelName {
  const value = env.LOG_LEVEL?.trim().toLowerCase() ?? '';
  if (value === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${env.LOG_LEVEL}"`);
  return value as LogLevelName;
}

export interface LoggerOptions {
  level?: LogLevelName;
  /**
   * Where the lines go. Default: stdout, as plain text when it is a terminal, otherwise as JSON
   * through pino's asynchronous destination (buffered writes, flushed on exit).
   */
  destination?: DestinationStream;
  /** Plain text instead of JSON; default: whether stdout is a terminal (ignored with a destination). */
  pretty?: boolean;
}

/** The root logger (pino). One per process in production; tests build their own with a destination. */
export function createLogger(options: LoggerOptions = {}): ApiLogger {
  const pretty = options.destination === undefined && (options.pretty ?? process.stdout.isTTY === true);
  const destination = options.destination ?? (pretty ? plainTextStream(process.stdout) : pino.destination({ dest: 1, sync: false }));
  return pino(
    {
      level: options.level ?? 'info',
      // `"level":"info"` rather than 30, and ISO time: read by people and by log shippers alike.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

let processLogger: ApiLogger | undefined;

/** The process's logger from the environment (LOG_LEVEL), created on first use: main.ts and createApp's default. */
export function defaultLogger(env: NodeJS.ProcessEnv = process.env): ApiLogger {
  processLogger ??= createLogger({ level: readLogLevel(env) });
  return processLogger;
}

/** Nest's start-up chatter (one line per module and per route): debug, not info. */
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** nestjs-pino's PinoLogger bound to one pino instance (its own default is one shared per process, fixed by the first app). */
class BoundPinoLogger extends PinoLogger {
  constructor(private readonly root: ApiLogger) {
    super({ pinoHttp: { logger: root } });
  }

  override get logger(): ApiLogger {
    return this.root;
  }
}

/** Nest's LoggerService (nestjs-pino) over a pino instance; request context is passed explicitly, not through AsyncLocalStorage. */
class ApiNestLogger extends NestPinoLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && CHATTY_CONTEXTS.has(context)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/** The LoggerService Nest is given (NestFactory.create, Logger.overrideLogger). */
export function nestLoggerFor(root: ApiLogger): LoggerService {
  return new ApiNestLogger(new BoundPinoLogger(root), {});
}

/**
 * Plain text for a terminal: `12:04:05.123 INFO  [context] message key=value ...`, no colours.
 * It parses pino's JSON line back, which is fine for a person watching a terminal, not for
 * production (there stdout is not a terminal and lines stay JSON).
 */
export function plainTextStream(out: { write(text: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      out.write(`${plainText(line)}\n`);
    },
  };
}

export function plainText(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  const { time, level, msg, context, err, pid: _pid, hostname: _hostname, ...rest } = record;
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const parts = [
    clock,
    String(level ?? '')
      .toUpperCase()
      .padEnd(5),
  ];
  if (context !== undefined) parts.push(`[${String(context)}]`);
  if (msg !== undefined) parts.push(String(msg));
  for (const [key, value] of Object.entries(rest)) parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  let text = parts.join(' ');
  const stack = err && typeof err === 'object' ? (err as { stack?: unknown }).stack : undefined;
  if (typeof stack === 'string') text += `\n${stack}`;
  else if (err !== undefined) text += ` err=${JSON.stringify(err)}`;
  return text;
}
