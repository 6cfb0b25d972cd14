import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, PROJECT_ROOT, loadConfig } from '../src/config.ts';

describe('GIVEN the environment', () => {
  it('THEN nothing set gives the defaults, with the database under the project’s data/', () => {
    expect(loadConfig({})).toEqual({ databasePath: resolve(PROJECT_ROOT, 'data', 'paperboy.db'), logLevel: 'info' });
  });

  it('THEN a relative DATABASE_PATH resolves against the current directory, and empty counts as unset', () => {
    expect(loadConfig({ DATABASE_PATH: 'x/y.db' }).databasePath).toBe(resolve('x/y.db'));
    expect(loadConfig({ DATABASE_PATH: '' }).databasePath).toBe(resolve(PROJECT_ROOT, 'data', 'paperboy.db'));
  });

  it('THEN a bad value stops with one line naming the key', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^configuration: LOG_LEVEL: /);
  });

  it('THEN the result is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});
