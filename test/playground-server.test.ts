/**
 * The playground's server without a browser: what it refuses and why, and that its event stream
 * carries what the local Discord does, ephemeral replies for the page's member included.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundState } from '../src/ui/playground/client/types.ts';
import { startTestPlayground, type TestPlayground } from './helpers/playground.ts';

let world: TestPlayground;
let state: PlaygroundState;
const channel = (name: string): string => state.channels.find((c) => 'name' in c && c.name === name)?.id ?? '';

beforeAll(async () => {
  world = await startTestPlayground();
  state = (await (await fetch(new URL('/api/state', world.url))).json()) as PlaygroundState;
}, 30_000);
afterAll(() => world?.close());

function post(
  path: string,
  body: unknown,
  type = 'application/json',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return fetch(new URL(path, world.url), { method: 'POST', headers: { 'content-type': type, ...headers }, body: JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, unknown>,
  }));
}

/** Reads the event stream until `until` matches an event's data, or 10 s pass. */
async function nextEvent(until: (data: Record<string, unknown>) => boolean, act: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const response = await fetch(new URL('/api/events', world.url), { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  await act();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + 10_000;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (const frame of buffer.split('\n\n').slice(0, -1)) {
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (data) {
          const parsed = JSON.parse(data) as Record<string, unknown>;
          if (until(parsed)) return parsed;
        }
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    }
    throw new Error(`no matching event within 10 s; last frames: ${buffer}`);
  } finally {
    controller.abort();
  }
}

describe('GIVEN the playground server', () => {
  it('THEN the state has the guild, the member who may manage it, the bot and every command', () => {
    expect(state.guild.name).toBe('Paperboy Playground');
    expect(state.me.global_name).toBe('You');
    expect(state.bot.bot).toBe(true);
    expect(state.commands.map((c) => c.name)).toContain('subscribe');
    expect(state.channels.map((c) => ('name' in c ? c.name : ''))).toEqual(['news', 'general', 'discussions']);
  });

  it('THEN a message written on the page reaches the stream, with @Paperboy turned into a real mention', async () => {
    const event = await nextEvent(
      (e) => e.type === 'message',
      () => post('/api/messages', { channelId: channel('general'), content: 'hello @Paperboy, and hello @Paperboys' }),
    );
    const message = event.message as { content: string; mentions: Array<{ id: string }> };
    expect(message.content).toBe(`hello <@${state.bot.id}>, and hello @Paperboys`);
    expect(message.mentions.map((m) => m.id)).toEqual([state.bot.id]);
  });

  it('THEN an ephemeral reply to the member comes through the stream and stays in its channel', async () => {
    const event = await nextEvent(
      (e) => (e.type === 'message' && ((e.message as { flags?: number }).flags ?? 0) & 64 ? true : false),
      () => post('/api/commands', { channelId: channel('general'), name: 'subscriptions', options: {} }),
    );
    const id = (event.message as { id: string }).id;
    const listed = (await (await fetch(new URL(`/api/channels/${channel('general')}/messages`, world.url))).json()) as Array<{ id: string }>;
    expect(listed.map((m) => m.id)).toContain(id);
  });

  it('THEN bad requests are refused naming what was wrong', async () => {
    expect(await post('/api/messages', { channelId: channel('general'), content: '   ' })).toEqual({
      status: 400,
      body: { error: 'content: write something first' },
    });
    const refused = async (path: string, body: unknown): Promise<string> => {
      const answer = await post(path, body);
      expect(answer.status).toBe(400);
      return String(answer.body.error);
    };
    expect(await refused('/api/messages', { channelId: channel('discussions'), content: 'hi' })).toMatch(/^a forum takes posts/);
    expect(await refused('/api/commands', { channelId: channel('general'), name: 'nope', options: {} })).toMatch(/no command \/nope/);
    expect(await refused('/api/commands', { channelId: channel('general'), name: 'search', options: {} })).toMatch(/query/);
    expect(await post('/api/commands', { channelId: 'x', name: 'search', options: {} })).toEqual({
      status: 400,
      body: { error: 'channelId: expected a Discord id' },
    });
    expect(await post('/api/messages', 'hi', 'text/plain')).toEqual({ status: 415, body: { error: 'send JSON' } });
    const missing = await fetch(new URL('/api/channels/12345678901234567/messages', world.url));
    expect(missing.status).toBe(404);
  });

  it('THEN a second playground on a port in use stops with a message saying what to change', async () => {
    const { port } = new URL(world.url);
    await expect(startTestPlayground(undefined, { PLAYGROUND_PORT: port })).rejects.toThrow(
      `playground: port ${port} on 127.0.0.1 is in use; set PLAYGROUND_PORT to another port (0 picks a free one)`,
    );
  });

  it('THEN a request addressed to another name is refused, so a rebound DNS name cannot drive it', async () => {
    const { port } = new URL(world.url);
    const status = await new Promise<number>((done, fail) => {
      const r = request({ host: '127.0.0.1', port, path: '/api/state', headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      r.on('error', fail);
      r.end();
    });
    expect(status).toBe(421);
  });

  it('THEN a POST sent by a page on another site is refused with 403 and runs nothing, while its own page and programs are served', async () => {
    const own = world.url.replace(/\/$/, '');
    const general = channel('general');
    const listed = async (): Promise<unknown[]> => (await (await fetch(new URL(`/api/channels/${general}/messages`, world.url))).json()) as unknown[];
    const before = await listed();
    const foreign = await post('/api/messages', { channelId: general, content: 'posted by evil.example' }, 'application/json', {
      origin: 'http://evil.example',
    });
    expect(foreign).toEqual({ status: 403, body: { error: `this playground takes requests only from its own page (${own}), not from http://evil.example` } });
    // Another port on the same machine is another origin too.
    const port = await post('/api/commands', { channelId: general, name: 'deliver', options: {} }, 'application/json', { origin: 'http://127.0.0.1:1' });
    expect(port.status).toBe(403);
    // A sandboxed frame or a file sends `Origin: null`; a browser that sends no Origin still says where the request came from.
    expect((await post('/api/messages', { channelId: general, content: 'x' }, 'application/json', { origin: 'null' })).status).toBe(403);
    // A look-alike name with the same port, and the own host over https (the playground serves only http).
    const { port: ownPort, hostname } = new URL(world.url);
    for (const origin of [`http://localhost.evil.example:${ownPort}`, `http://${hostname}.evil.example:${ownPort}`, own.replace('http:', 'https:')]) {
      expect((await post('/api/messages', { channelId: general, content: 'x' }, 'application/json', { origin })).status, origin).toBe(403);
    }
    expect((await post('/api/messages', { channelId: general, content: 'x' }, 'application/json', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await listed()).toHaveLength(before.length);
    // The page itself (same origin) and a program without Origin are served.
    expect(
      (await post('/api/messages', { channelId: general, content: 'from the page' }, 'application/json', { origin: own, 'sec-fetch-site': 'same-origin' }))
        .status,
    ).toBe(201);
    expect((await post('/api/messages', { channelId: general, content: 'from curl' })).status).toBe(201);
  });

  it('THEN the page has an icon: the SVG it links, also at /favicon.ico', async () => {
    const page = await (await fetch(world.url)).text();
    expect(page).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const icon = await fetch(new URL(path, world.url));
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toBe('image/svg+xml');
      expect(await icon.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
  });
});
