/** The discussion settings: DISCUSSION_REQUESTS_PER_RUN and DISCUSSION_POLL_MINUTES, their defaults and their refusals. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('GIVEN the discussion settings', () => {
  it('THEN unset gives 100 requests a run and 10 minutes between syncs of one discussion', () => {
    expect(loadConfig({}).discussions).toEqual({ requestsPerRun: 100, minIntervalMs: 600_000 });
  });

  it('THEN set values are read, minutes as milliseconds', () => {
    expect(loadConfig({ DISCUSSION_REQUESTS_PER_RUN: '25', DISCUSSION_POLL_MINUTES: '1.5' }).discussions).toEqual({
      requestsPerRun: 25,
      minIntervalMs: 90_000,
    });
  });

  it('THEN a value out of range or not a number stops with one line naming the key', () => {
    expect(() => loadConfig({ DISCUSSION_REQUESTS_PER_RUN: '0' })).toThrow(
      /^configuration: DISCUSSION_REQUESTS_PER_RUN: expected a whole number of requests from 1 to 10000/,
    );
    expect(() => loadConfig({ DISCUSSION_REQUESTS_PER_RUN: '2.5' })).toThrow(/^configuration: DISCUSSION_REQUESTS_PER_RUN: /);
    expect(() => loadConfig({ DISCUSSION_POLL_MINUTES: 'often' })).toThrow(/^configuration: DISCUSSION_POLL_MINUTES: expected a number of minutes/);
    expect(() => loadConfig({ DISCUSSION_POLL_MINUTES: '20000' })).toThrow(
      /^configuration: DISCUSSION_POLL_MINUTES: expected a number of minutes from 1 to 10080/,
    );
  });
});
