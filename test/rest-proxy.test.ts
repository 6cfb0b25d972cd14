/**
 * `paperboy rest-proxy`: bot processes sharing one token send their REST requests through one proxy,
 * which plans Discord's global limit and the routes' buckets once. Real discord.js REST clients (in
 * child processes, as bot processes would be), the real proxy (in a child process too, for the
 * three-process test), the local Discord; no mocks.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REST } from '@discordjs/rest';
import { FakeDiscord, type RequestRecord } from '@paperboy/fake-discord';
import type { FakeChildReply, FakeChildRequest, FakeReport } from './fixtures/rest-fake-child.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/core/log.ts';
import { restOptionsFor, PROXIED_TIMEOUT_MS } from '../src/ui/rest-proxy/rest-options.ts';
import { isLoopback, startRestProxy, type RestProxy } from '../src/ui/rest-proxy/server.ts';
import { withoutTokens } from '../src/ui/rest-proxy/forward.ts';
import { ArrivalWindow, exemptFromGlobal } from '../src/ui/rest-proxy/global-limit.ts';

const SENDER = resolve(import.meta.dirname, 'fixtures/rest-sender-child.ts');
const PROXY = resolve(import.meta.dirname, 'fixtures/rest-proxy-child.ts');
const FAKE = resolve(import.meta.dirname, 'fixtures/rest-fake-child.ts');
const PROCESSES = 3;
const CHANNELS = 30;
const PER_PROCESS = 150;
const silent = createLogger({ level: 'silent', pretty: false });

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startFake(): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start();
  cleanup.push(() => fake.close());
  return fake;
}

interface FakeInChild {
  readonly apiUrl: string;
  readonly botToken: string;
  readonly channels: string[];
  report(): Promise<FakeReport>;
}

/**
 * The local Discord in a process of its own, as Discord is in production: its clock counts arrivals
 * without this process's stalls (vitest runs files side by side) bunching them.
 */
async function startFakeInChild(channelCount: number): Promise<FakeInChild> {
  const child = fork(FAKE, [String(channelCount)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  cleanup.push(async () => {
    if (child.connected) child.send({ kind: 'close' } satisfies FakeChildRequest);
    await Promise.race([exited, sleep(5000).then(() => void child.kill('SIGKILL'))]);
  });
  const waiting: ((reply: FakeChildReply) => void)[] = [];
  child.on('message', (reply: FakeChildReply) => waiting.shift()?.(reply));
  const next = () =>
    new Promise<FakeChildReply>((done, fail) => {
      waiting.push(done);
      void exited.then(() => fail(new Error('the local Discord’s process exited')));
    });
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error(`the local Discord’s process answered ${ready.kind} before ready`);
  return {
    apiUrl: ready.apiUrl,
    botToken: ready.botToken,
    channels: ready.channels,
    async report() {
      const reply = next();
      child.send({ kind: 'report' } satisfies FakeChildRequest);
      const answer = await reply;
      if (answer.kind !== 'report') throw new Error(`the local Discord’s process answered ${answer.kind} to report`);
      return answer;
    },
  };
}

/** `paperboy rest-proxy` in a process of its own, in front of `fake`; resolves once it listens. */
async function startProxyInChild(fake: FakeInChild): Promise<{ url: string; exited: Promise<number | null>; proxy: ChildProcess }> {
  const proxy = spawn(process.execPath, ['--import', 'tsx', PROXY, fake.apiUrl], {
    env: { ...process.env, REST_TEST_TOKEN: fake.botToken },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((done) => proxy.on('exit', (code) => done(code)));
  cleanup.push(() => void proxy.kill('SIGKILL'));
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    proxy.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match?.[1]) done(match[1]);
    });
    void exited.then((code) => fail(new Error(`the proxy exited (${code}) before listening:\n${out}`)));
  });
  return { url, exited, proxy };
}

function channelsOf(fake: FakeDiscord, count: number): string[] {
  const guild = fake.createGuild({ name: 'Readers' });
  return Array.from({ length: count }, (_, i) => fake.createChannel(guild.id, { name: `news-${i}` }).id);
}

function clientFor(api: string, token?: string): REST {
  const rest = new REST({ api, version: '10' });
  if (token !== undefined) rest.setToken(token);
  cleanup.push(() => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });
  return rest;
}

interface SenderResult {
  readonly sent: number;
  readonly failed: string[];
  readonly ms: number;
  readonly rateLimited: number;
}

/** Runs the sender processes at once against `api`; resolves with what each printed. */
function runSenders(api: string, token: string, channels: string[]): Promise<SenderResult[]> {
  // Far enough ahead for every process to have loaded tsx and discord.js.
  const startAt = Date.now() + 3000;
  return Promise.all(
    Array.from(
      { length: PROCESSES },
      (_, p) =>
        new Promise<SenderResult>((done, fail) => {
          const child = spawn(process.execPath, ['--import', 'tsx', SENDER, api, channels.join(','), String(PER_PROCESS), `p${p}`, String(startAt)], {
            env: { ...process.env, REST_TEST_TOKEN: token },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.on('error', fail);
          child.on('exit', (code) => (code === 0 ? done(JSON.parse(out) as SenderResult) : fail(new Error(`sender p${p} exited with ${code}`))));
        }),
    ),
  );
}

/** Discord's refusals for going too fast, by scope (faults are the test's own trouble, not counted). */
function tooFast(requests: ReadonlyArray<RequestRecord>): { global: number; bucket: number } {
  const refused = requests.filter((r) => r.status === 429 && r.fault !== true);
  return { global: refused.filter((r) => r.scope === 'global').length, bucket: refused.filter((r) => r.scope !== 'global').length };
}

/**
 * Bucket 429s that are not discovery: more than one on a channel, or any after the channel's first
 * window (5 s from its first request, the local Discord's message bucket), when the proxy knew it.
 */
function discoveryOnly(requests: ReadonlyArray<RequestRecord>): { channelsWithMoreThanOne: string[]; afterTheFirstWindow: string[] } {
  const first = new Map<string, number>();
  const count = new Map<string, number>();
  const late: string[] = [];
  for (const r of requests) {
    if (!first.has(r.path)) first.set(r.path, r.at);
    if (r.status !== 429 || r.fault === true || r.scope === 'global') continue;
    count.set(r.path, (count.get(r.path) ?? 0) + 1);
    if (r.at - (first.get(r.path) ?? r.at) >= 5000) late.push(r.path);
  }
  return { channelsWithMoreThanOne: [...count].filter(([, n]) => n > 1).map(([path]) => path), afterTheFirstWindow: late };
}

/** Each of the senders' messages, counted by content across the channels. */
function createdOnce(received: FakeReport): { total: number; duplicates: number; missing: number } {
  const seen = new Map<string, number>();
  for (const messages of Object.values(received.messages)) for (const m of messages) seen.set(m.content, (seen.get(m.content) ?? 0) + 1);
  let missing = 0;
  for (let p = 0; p < PROCESSES; p++) for (let i = 0; i < PER_PROCESS; i++) if (!seen.has(`p${p}-${i}`)) missing++;
  return { total: [...seen.values()].reduce((a, b) => a + b, 0), duplicates: [...seen.values()].filter((n) => n > 1).length, missing };
}

function report(label: string, received: FakeReport, results: SenderResult[]): void {
  const slowest = Math.max(...results.map((r) => r.ms));
  const sent = results.reduce((a, r) => a + r.sent, 0);
  const refused = tooFast(received.requests);
  console.log(
    `${label}: ${sent} messages in ${slowest} ms (${((sent / slowest) * 1000).toFixed(1)} messages/s), ` +
      `${received.requests.length} requests (busiest sliding second: ${busiestSecond(received.requests)}; Discord's windows are fixed), 429s: ${refused.global} global + ${refused.bucket} bucket`,
  );
}

/** The most requests Discord received within any 1,000 ms. */
function busiestSecond(requests: ReadonlyArray<RequestRecord>): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('GIVEN three bot processes sharing one token, each sending 150 messages at full speed', () => {
  it(
    'WHEN each talks to Discord straight, to the same 30 channels, THEN Discord answers 429s (their budgets add up past its limits)',
    { timeout: 90_000 },
    async () => {
      const fake = await startFakeInChild(CHANNELS);
      const results = await runSenders(fake.apiUrl, fake.botToken, fake.channels);
      const received = await fake.report();
      report('straight', received, results);
      expect(results.flatMap((r) => r.failed)).toEqual([]);
      const refused = tooFast(received.requests);
      expect(refused.global + refused.bucket).toBeGreaterThan(CHANNELS);
      expect(createdOnce(received)).toEqual({ total: PROCESSES * PER_PROCESS, duplicates: 0, missing: 0 });
    },
  );

  it(
    'WHEN all go through one `paperboy rest-proxy` process to the same 30 channels THEN no 429 beyond bucket discovery, every message exactly once, and the proxy exits cleanly',
    { timeout: 90_000 },
    async () => {
      const fake = await startFakeInChild(CHANNELS);
      const { url, exited, proxy } = await startProxyInChild(fake);
      const results = await runSenders(restOptionsFor(url, fake.apiUrl).api, fake.botToken, fake.channels);
      const received = await fake.report();
      report('through the proxy', received, results);
      expect(results.flatMap((r) => r.failed)).toEqual([]);
      // Discovery: the proxy learns a bucket from its first answer. Requests for a channel that were
      // already queued under the route's provisional bucket may overlap with ones under the learned
      // bucket, so each of the 30 channel buckets may see one 429 at most; never the global limit.
      expect(tooFast(received.requests).global).toBe(0);
      expect(discoveryOnly(received.requests)).toEqual({ channelsWithMoreThanOne: [], afterTheFirstWindow: [] });
      expect(createdOnce(received)).toEqual({ total: PROCESSES * PER_PROCESS, duplicates: 0, missing: 0 });
      expect(received.violations.filter((v) => v.status !== 429)).toEqual([]);

      proxy.kill('SIGTERM');
      // It exits by itself only if stop() left no server, socket or timer behind.
      expect(await exited).toBe(0);
    },
  );

  it(
    'WHEN they send to 150 channels through the proxy (one message each per process: the global limit alone binds) THEN no 429 at all and Discord sees at most 50 in any second',
    { timeout: 90_000 },
    async () => {
      const fake = await startFakeInChild((PROCESSES * PER_PROCESS) / 3);
      const { url } = await startProxyInChild(fake);
      const results = await runSenders(restOptionsFor(url, fake.apiUrl).api, fake.botToken, fake.channels);
      const received = await fake.report();
      report('through the proxy, 150 channels', received, results);
      expect(results.flatMap((r) => r.failed)).toEqual([]);
      expect(tooFast(received.requests)).toEqual({ global: 0, bucket: 0 });
      expect(busiestSecond(received.requests)).toBeLessThanOrEqual(50);
      expect(createdOnce(received)).toEqual({ total: PROCESSES * PER_PROCESS, duplicates: 0, missing: 0 });
    },
  );
});

describe('GIVEN the proxy in front of the local Discord', () => {
  async function setUp(): Promise<{ fake: FakeDiscord; proxy: RestProxy; api: string; channel: string }> {
    const fake = await startFake();
    const [channel = ''] = channelsOf(fake, 1);
    const proxy = await startRestProxy({ apiUrl: fake.apiUrl, log: silent, token: fake.botToken });
    cleanup.push(() => proxy.stop());
    return { fake, proxy, api: restOptionsFor(proxy.url, fake.apiUrl).api, channel };
  }

  it('THEN the caller’s token is what Discord checks: none is refused by Discord, another bot’s by the proxy', async () => {
    const { fake, api, channel } = await setUp();
    await expect(clientFor(api, fake.botToken).post(`/channels/${channel}/messages`, { body: { content: 'with the token' } })).resolves.toMatchObject({
      content: 'with the token',
    });
    const before = fake.requests.length;
    await expect(clientFor(api).post(`/channels/${channel}/messages`, { body: { content: 'no token' }, auth: false })).rejects.toMatchObject({
      status: 401,
    });
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([401]);
    await expect(clientFor(api, 'another.bots.token').post(`/channels/${channel}/messages`, { body: { content: 'wrong token' } })).rejects.toMatchObject({
      status: 401,
    });
    expect(fake.requests.length).toBe(before + 1); // refused by the proxy, Discord never asked
    expect(fake.messages(channel).map((m) => m.content)).toEqual(['with the token']);
  });

  it('THEN an interaction callback and a webhook follow-up (token in the path, no Authorization) go through', async () => {
    const { fake, api, channel } = await setUp();
    const rest = clientFor(api, fake.botToken);
    const guild = fake.channel(channel)?.guild_id ?? '';
    await rest.put(`/applications/${fake.applicationId}/guilds/${guild}/commands`, { body: [{ name: 'ping', description: 'Ping', type: 1 }] });
    const reader = fake.createUser({ username: 'reader' });
    fake.addMember(guild, reader.id);
    const handle = fake.runCommand({ guildId: guild, channelId: channel, userId: reader.id, name: 'ping' });
    await rest.post(`/interactions/${handle.id}/${handle.token}/callback`, { body: { type: 4, data: { content: 'pong' } }, auth: false });
    await expect(handle.reply()).resolves.toMatchObject({ content: 'pong' });
    await rest.post(`/webhooks/${fake.applicationId}/${handle.token}`, { body: { content: 'and more' }, auth: false });
    expect(handle.followUps.map((m) => m.content)).toEqual(['and more']);
    expect(fake.violations).toEqual([]);
  });

  it('THEN a request Discord answers 429 or 500 is sent again with its body intact (the stock proxy re-sent a spent stream)', async () => {
    const { fake, api, channel } = await setUp();
    fake.faults.failNext({ count: 1, status: 429, route: 'POST /channels/' });
    fake.faults.failNext({ count: 1, status: 500, route: 'POST /channels/' });
    await clientFor(api, fake.botToken).post(`/channels/${channel}/messages`, { body: { content: 'sent once, intact' } });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 500, 200]);
    expect(fake.messages(channel).map((m) => m.content)).toEqual(['sent once, intact']);
  });

  it('THEN Discord’s own refusals reach the caller as Discord sent them', async () => {
    const { fake, api } = await setUp();
    await expect(clientFor(api, fake.botToken).post('/channels/123456789012345678/messages', { body: { content: 'x' } })).rejects.toMatchObject({
      status: 404,
      code: 10003,
    });
  });

  it('THEN paths outside /api/v10, web pages and oversized bodies are refused without reaching Discord', async () => {
    const { fake, proxy } = await setUp();
    const outside = await fetch(`${proxy.url}/api/v9/gateway/bot`, { headers: { authorization: `Bot ${fake.botToken}` } });
    expect(outside.status).toBe(404);
    expect(((await outside.json()) as { message: string }).message).toContain('/api/v10/');
    const page = await fetch(`${proxy.url}/api/v10/gateway/bot`, { headers: { origin: 'https://evil.example' } });
    expect(page.status).toBe(403);
    const big = await fetch(`${proxy.url}/api/v10/channels/1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(27 * 1024 * 1024) },
      body: 'x'.repeat(27 * 1024 * 1024),
    }).catch((error: unknown) => error);
    // Either the 413 arrives, or the socket closes under the rest of the upload.
    if (big instanceof Response) expect(big.status).toBe(413);
    expect(fake.requests).toEqual([]);
  });

  it('THEN stop() closes it: the port refuses connections afterwards', async () => {
    const fake = await startFake();
    const proxy = await startRestProxy({ apiUrl: fake.apiUrl, log: silent });
    await fetch(`${proxy.url}/api/v10/gateway/bot`, { headers: { authorization: `Bot ${fake.botToken}` } });
    await proxy.stop();
    await expect(fetch(`${proxy.url}/api/v10/gateway/bot`)).rejects.toThrow();
  });
});

describe('GIVEN the proxy’s global window (a place held from send until 1 s after the answer)', () => {
  it('THEN no more than its limit are sent while earlier ones are in flight or answered within the window, in the order asked', async () => {
    const window = new ArrivalWindow(5, 200);
    const order: number[] = [];
    const sent: number[] = [];
    const answered: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const release = await window.take();
        order.push(i);
        sent.push(Date.now());
        // A round trip of 30 ms: the place is held 230 ms in all.
        await sleep(30);
        answered.push(Date.now());
        release();
      }),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // The 6th send waits for the 1st answer plus the window, and so on.
    for (let i = 5; i < sent.length; i++) expect((sent[i] ?? 0) - (answered[i - 5] ?? 0)).toBeGreaterThanOrEqual(200);
    // The last two answers are still within their window.
    expect(window.held).toBe(2);
    await sleep(210);
    expect(window.held).toBe(0);
  });

  it('THEN a request still in flight holds its place however long it takes', async () => {
    const window = new ArrivalWindow(1, 500);
    const release = await window.take();
    let second = false;
    const next = window.take().then((r) => ((second = true), r));
    await sleep(120);
    expect(second).toBe(false);
    release();
    await sleep(20);
    expect(second).toBe(false); // answered, but its arrival may lie at the end of the round trip
    (await next)();
    expect(second).toBe(true);
  });

  it('THEN a waiting take gives up when its request is abandoned, and the next one still gets its turn', async () => {
    const window = new ArrivalWindow(1, 150);
    const release = await window.take();
    const abandoned = new AbortController();
    const waiting = window.take(abandoned.signal);
    const after = window.take();
    abandoned.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await expect(after).resolves.toBeTypeOf('function');
  });

  it('THEN interaction callbacks and interaction webhooks are exempt, as on Discord', () => {
    expect(exemptFromGlobal('http://d/api/v10/interactions/1/tok/callback')).toBe(true);
    expect(exemptFromGlobal('http://d/api/v10/webhooks/1/tok')).toBe(true);
    expect(exemptFromGlobal('http://d/api/v10/webhooks/1/tok/messages/@original')).toBe(true);
    expect(exemptFromGlobal('http://d/api/v10/channels/1/messages')).toBe(false);
    expect(exemptFromGlobal('http://d/api/v10/channels/1/webhooks')).toBe(false);
  });
});

describe('GIVEN where the proxy may listen', () => {
  it('THEN loopback by default, anything else only when allowed explicitly', async () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].map(isLoopback)).toEqual([false, false, false, false]);
    await expect(startRestProxy({ host: '0.0.0.0', log: silent })).rejects.toThrow(/not a loopback address/);
  });
});

describe('GIVEN restOptionsFor', () => {
  it('THEN without a proxy discord.js talks to the API itself, with one its /api is the proxy’s', () => {
    expect(restOptionsFor(null, 'https://discord.com/api')).toEqual({ api: 'https://discord.com/api' });
    expect(restOptionsFor('http://127.0.0.1:8787', 'https://discord.com/api')).toEqual({ api: 'http://127.0.0.1:8787/api', timeout: PROXIED_TIMEOUT_MS });
    expect(restOptionsFor('http://127.0.0.1:8787/api/', 'x').api).toBe('http://127.0.0.1:8787/api');
  });

  it('THEN a bad DISCORD_REST_PROXY is named, never echoing a password', () => {
    expect(() => restOptionsFor('127.0.0.1:8787', 'x')).toThrow(/DISCORD_REST_PROXY/);
    expect(() => restOptionsFor('http://user:s3cret@127.0.0.1:8787', 'x')).toThrow(/no user name or password/);
    try {
      restOptionsFor('http://user:s3cret@127.0.0.1:8787', 'x');
    } catch (error) {
      expect(String(error)).not.toContain('s3cret');
    }
    expect(() => restOptionsFor('http://127.0.0.1:8787/other', 'x')).toThrow(/path \/other/);
  });

  it('THEN interaction and webhook tokens never reach the log', () => {
    expect(withoutTokens('/api/v10/interactions/1/secret/callback')).toBe('/api/v10/interactions/1/:token/callback');
    expect(withoutTokens('/api/v10/webhooks/1/secret/messages/@original')).toBe('/api/v10/webhooks/1/:token/messages/@original');
    expect(withoutTokens('/api/v10/channels/1/messages')).toBe('/api/v10/channels/1/messages');
  });
});
