/**
 * Configuration from the environment, parsed once with zod and frozen. A missing or malformed key
 * stops start-up with one line naming it. Secrets are never echoed back in those messages.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The project's root folder: defaults such as data/ are resolved against it, not the caller's directory. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const Env = z.object({
  /** SQLite database file. Relative paths resolve against the current directory. */
  DATABASE_PATH: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  readonly databasePath: string;
  readonly logLevel: z.infer<typeof Env>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment. Throws a ConfigError whose message names every bad key in one line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty values count as unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`configuration: ${problems.join('; ')}`);
  }
  return Object.freeze({
    databasePath: resolve(parsed.data.DATABASE_PATH ?? resolve(PROJECT_ROOT, 'data', 'paperboy.db')),
    logLevel: parsed.data.LOG_LEVEL,
  });
}
