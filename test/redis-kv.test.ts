/**
 * keyv on a real Redis (127.0.0.1:6379, or REDIS_TEST_URL): every test uses a key prefix of its own
 * and removes its keys afterwards.
 */
import { randomBytes } from 'node:crypto';
import { type AddressInfo, type Socket, connect as netConnect, createServer } from 'node:net';
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { addKey, claimKey } from '../src/adapters/store/kv.ts';
import { type RedisKeyv, connectRedisKeyv } from '../src/adapters/store/redis-kv.ts';
import { createCodec } from '../src/ui/discord/custom-id.ts';

const URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const admin = createClient({ url: URL });
const opened: RedisKeyv[] = [];
const prefixes: string[] = [];

async function connect(prefix: string): Promise<RedisKeyv> {
  const redis = await connectRedisKeyv(URL, { keyPrefix: prefix });
  opened.push(redis);
  return redis;
}

function freshPrefix(): string {
  const prefix = `pb_test_${randomBytes(6).toString('hex')}:`;
  prefixes.push(prefix);
  return prefix;
}

async function keysUnder(prefix: string): Promise<string[]> {
  if (!admin.isOpen) await admin.connect();
  return admin.keys(`${prefix}*`);
}

afterEach(async () => {
  for (const redis of opened.splice(0)) await redis.close();
  for (const prefix of prefixes.splice(0)) {
    const keys = await keysUnder(prefix);
    if (keys.length > 0) await admin.del(keys);
  }
});
afterAll(async () => {
  if (admin.isOpen) await admin.close();
});

describe('GIVEN keyv on Redis', () => {
  it('THEN button state round-trips under the prefix and namespace, and expires with its TTL', async () => {
    const prefix = freshPrefix();
    const buttons = (await connect(prefix)).open<string>('bot');
    await buttons.set('state:abc', 'a long query', 150);
    expect(await buttons.get('state:abc')).toBe('a long query');
    expect(await keysUnder(prefix)).toEqual([`${prefix}bot:state:abc`]);
    await new Promise((r) => setTimeout(r, 250));
    expect(await buttons.get('state:abc')).toBeUndefined();
  });

  it('THEN namespaces and prefixes keep apart, and clear removes only its own namespace', async () => {
    const prefix = freshPrefix();
    const other = freshPrefix();
    const redis = await connect(prefix);
    const buttons = redis.open<string>('bot');
    const cooldowns = redis.open<string>('cooldowns');
    const elsewhere = (await connect(other)).open<string>('bot');
    await buttons.set('k', 'buttons');
    await cooldowns.set('k', 'cooldowns');
    await elsewhere.set('k', 'another deployment');
    expect([await buttons.get('k'), await cooldowns.get('k'), await elsewhere.get('k')]).toEqual(['buttons', 'cooldowns', 'another deployment']);
    await buttons.clear();
    expect([await buttons.get('k'), await cooldowns.get('k'), await elsewhere.get('k')]).toEqual([undefined, 'cooldowns', 'another deployment']);
  });

  it('THEN two clients share the signing secret: a button made by one process is read by another', async () => {
    const prefix = freshPrefix();
    const first = createCodec({ keyv: (await connect(prefix)).open('bot') });
    const long = 'q'.repeat(300);
    const id = await first.encode(['search', long]);
    const second = createCodec({ keyv: (await connect(prefix)).open('bot') });
    expect(await second.decode(id)).toEqual(['search', long]);
  });

  it('THEN 2 clients × 100 concurrent adds of one key (how the signing secret is made): one value is stored, and every client reads it', async () => {
    const prefix = freshPrefix();
    const clients = [(await connect(prefix)).open<string>('bot'), (await connect(prefix)).open<string>('bot')];
    const tries = clients.flatMap((c, ci) => Array.from({ length: 100 }, (_, k) => ({ c, value: `secret-${ci}-${k}` })));
    const added = await Promise.all(tries.map(({ c, value }) => addKey(c, 'state-secret', value)));
    const winners = tries.filter((_, k) => added[k]).map((t) => t.value);
    expect(winners).toHaveLength(1);
    expect(await Promise.all(clients.map((c) => c.get('state-secret')))).toEqual([winners[0], winners[0]]);
  });

  it('THEN 2 clients × 100 concurrent claims of one key: exactly one wins per TTL window', async () => {
    const prefix = freshPrefix();
    const clients = [(await connect(prefix)).open('cooldowns'), (await connect(prefix)).open('cooldowns')];
    const round = () => Promise.all(clients.flatMap((c) => Array.from({ length: 100 }, () => claimKey(c, 'thread-1:user-1', 300))));
    const first = await round();
    expect(first.filter(Boolean)).toHaveLength(1);
    // Still inside the window: no one wins.
    expect((await round()).filter(Boolean)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 400));
    expect((await round()).filter(Boolean)).toHaveLength(1);
    // Keyv reads a claim like any other entry.
    expect(await clients[0]?.get('thread-1:user-1')).toBe(true);
  });

  it('THEN an unreachable Redis stops start-up naming REDIS_URL and the host, never the password', async () => {
    const error = (await connectRedisKeyv('redis://:hunter2@127.0.0.1:1').catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^REDIS_URL: cannot reach Redis at 127\.0\.0\.1:1: /);
    expect(error.message).not.toContain('hunter2');
  });

  it('THEN Redis going away makes reads, writes and claims fail, not pass for misses', async () => {
    // A relay in front of the real Redis, closed mid-test: Redis goes away for this client only.
    const sockets = new Set<Socket>();
    const relay = createServer((incoming) => {
      const outgoing = netConnect(6379, '127.0.0.1');
      for (const s of [incoming, outgoing]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
      incoming.pipe(outgoing).pipe(incoming);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const { port } = relay.address() as AddressInfo;
    const prefix = freshPrefix();
    const redis = await connectRedisKeyv(`redis://127.0.0.1:${port}`, { keyPrefix: prefix });
    const cooldowns = redis.open<string>('cooldowns');
    await cooldowns.set('k', 'held');
    relay.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    await expect(cooldowns.get('k')).rejects.toThrow();
    await expect(cooldowns.set('k', 'again')).rejects.toThrow();
    await expect(claimKey(cooldowns, 'k', 1000)).rejects.toThrow();
    await redis.close().catch(() => undefined);
  });
});

describe('GIVEN REDIS_URL', () => {
  it('THEN unset keeps short-lived state in SQLite, and redis:// or rediss:// is taken as is', () => {
    expect(loadConfig({}).redisUrl).toBeNull();
    expect(loadConfig({ REDIS_URL: '' }).redisUrl).toBeNull();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://:pw@cache.example:6380/2' }).redisUrl).toBe('rediss://:pw@cache.example:6380/2');
  });

  it('THEN another scheme or no URL stops with one line naming the key, without echoing the value', () => {
    for (const bad of ['http://cache.example', 'postgres://u:secret@db', 'cache.example:6379']) {
      expect(() => loadConfig({ REDIS_URL: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ REDIS_URL: bad })).toThrow(/^configuration: REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/);
      expect(() => loadConfig({ REDIS_URL: bad })).not.toThrow(/secret/);
    }
  });
});
