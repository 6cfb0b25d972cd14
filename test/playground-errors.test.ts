/**
 * The playground's two kinds of failure (issue 14 point 1): a mistake in the request is a 4xx
 * with its reason, and a bug is a 500 with a reference id, its error logged in full under that id.
 * The server is the real one on a real socket; the API behind it is a small hand-written one
 * whose methods fail as asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestError } from '../src/ui/playground/api.ts';
import { type PlaygroundServer, type ServerOptions, startServer } from '../src/ui/playground/server.ts';
import { capturedLogger } from './helpers/log.ts';

const { log, lines } = capturedLogger('warn');
let server: PlaygroundServer;

const api: ServerOptions['api'] = {
  state: () => {
    // What a slip in the code looks like from here.
    throw new TypeError("Cannot read properties of undefined (reading 'id')");
  },
  messages: () => [],
  command: () => Promise.reject(new RequestError('no command /nope is registered for this guild')),
  autocomplete: () => Promise.resolve([]),
  component: () => Promise.reject(new Error('the component store is closed')),
  post: () => {
    throw new RequestError('no channel 12345678901234567', 404);
  },
};

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, api, hub: { attach: (c) => c.body(null, 204), close: () => undefined }, assets: new Map(), log });
});
afterAll(() => server?.close());

const post = (path: string, body: unknown): Promise<Response> =>
  fetch(new URL(path, server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GIVEN the playground server and an API with a bug', () => {
  it('THEN a bug is a 500 with a reference id, and the log has the error in full under that id', async () => {
    const response = await fetch(new URL('/api/state', server.url));
    expect(response.status).toBe(500);
    expect([response.headers.get('cache-control'), response.headers.get('x-content-type-options')]).toEqual(['no-store', 'nosniff']);
    const body = (await response.json()) as { error: string; ref: string };
    expect(body.ref).toMatch(/^[0-9a-f]{8}$/);
    expect(body.error).toBe(`the playground failed on that (a bug, not your request); its log has the details under reference ${body.ref}`);
    expect(body.error).not.toContain('Cannot read properties');
    const logged = lines.find((l) => l.ref === body.ref);
    // pino's level 50 is error.
    expect(logged).toMatchObject({
      level: 50,
      msg: 'playground: request failed',
      request: 'GET /api/state',
      err: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'id')" },
    });

    // A plain Error that is not a refusal of the request is a bug too, not a 400.
    const component = await post('/api/components', { messageId: '12345678901234567', customId: 'x' });
    expect(component.status).toBe(500);
    const ref = ((await component.json()) as { ref: string }).ref;
    expect(lines.find((l) => l.ref === ref)).toMatchObject({ request: 'POST /api/components', err: { message: 'the component store is closed' } });
  });

  it('THEN a mistake in the request stays a 4xx with its message, and is not logged as a failure', async () => {
    const before = lines.length;
    expect([(await post('/api/commands', {})).status, await (await post('/api/commands', {})).json()]).toEqual([
      400,
      { error: 'no command /nope is registered for this guild' },
    ]);
    expect((await post('/api/messages', {})).status).toBe(404);
    const notJson = await fetch(new URL('/api/messages', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"channelId": ',
    });
    expect([notJson.status, await notJson.json()]).toEqual([400, { error: 'the request body is not JSON' }]);
    const tooBig = await post('/api/messages', { content: 'x'.repeat(70_000) });
    expect([tooBig.status, await tooBig.json()]).toEqual([413, { error: 'the request is over 64 KiB' }]);
    expect(lines.slice(before)).toEqual([]);
  });
});
