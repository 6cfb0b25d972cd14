/**
 * What an operator installs beside the code: the systemd unit, the licence, and what git must not
 * take from a working copy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.ts';

const read = (path: string): string => readFileSync(`${PROJECT_ROOT}/${path}`, 'utf8');
const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('the systemd unit', () => {
  it.skipIf(!hasSystemd)('GIVEN deploy/paperboy.service THEN systemd-analyze verify reports nothing', () => {
    // verify exits 0 even for a directive it ignores; what it prints is the verdict.
    const result = spawnSync('systemd-analyze', ['verify', `${PROJECT_ROOT}/deploy/paperboy.service`], { encoding: 'utf8' });
    expect(result.stderr + result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('GIVEN the unit THEN it runs what `npm start` runs and stops with SIGTERM', () => {
    const unit = read('deploy/paperboy.service');
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
    const exec = /^ExecStart=\/usr\/bin\/env (.+)$/m.exec(unit)?.[1];
    expect(exec).toBe(start);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });
});

describe('the licence and ignored files', () => {
  it('GIVEN package.json says MIT THEN LICENSE is the MIT licence', () => {
    const license = (JSON.parse(read('package.json')) as { license: string }).license;
    expect(license).toBe('MIT');
    expect(read('LICENSE').split('\n')[0]).toBe('MIT License');
  });

  it('GIVEN local env files THEN git ignores them', () => {
    const ignored = execFileSync('git', ['check-ignore', '--no-index', '.env', '.env.local', '.env.production.local'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(ignored.trim().split('\n')).toEqual(['.env', '.env.local', '.env.production.local']);
  });
});
