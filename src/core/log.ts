/**
 * Structured logs with pino: JSON lines when the output is piped (for log collectors), readable
 * coloured lines in a terminal. Anything named like a secret is redacted wherever it appears.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

const REDACT = ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'config.discord.token'];

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  /** Default: pretty when stdout is a terminal. */
  readonly pretty?: boolean;
  /** Default: stdout. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stdout;
  const usePretty = options.pretty ?? (destination === process.stdout && process.stdout.isTTY);
  const base = { level: options.level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined };
  if (!usePretty) return pino(base, destination);
  // Synchronous pretty-printing in this thread: a transport's worker could lose the last lines on a crash.
  return pino(base, pretty({ destination, colorize: destination === process.stdout, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
