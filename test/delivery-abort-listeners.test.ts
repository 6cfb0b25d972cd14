/**
 * The delivery runner hands one stop signal, alive as long as the process, to every send. discord.js
 * adds an abort listener to the signal it is given and never removes it, so the poster gives each
 * request a signal of its own: sending leaves the runner's signal as it found it, and a stop still
 * drops a send waiting for its rate-limit window.
 */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const message = (i: number): { content: string } => ({ content: `Bulletin ${i}.` });

describe('GIVEN one long-lived stop signal handed to every send', () => {
  it('THEN 50 messages sent leave no abort listener behind on it', async () => {
    h = await startEngine({ fake: { rateLimits: { channelMessages: { limit: 1000, windowMs: 1000 } } } });
    const t = h.target();
    const stop = new AbortController();
    const before = getEventListeners(stop.signal, 'abort').length;
    for (let i = 0; i < 50; i++) await h.poster.send(t.channelId, message(i), `bulletin-${i}`, stop.signal);
    expect(h.fake.messages(t.channelId)).toHaveLength(50);
    expect(getEventListeners(stop.signal, 'abort').length).toBe(before);
  });

  it('THEN aborting it still drops a send waiting for its rate-limit window, unsent, and leaves no listener', async () => {
    h = await startEngine({ fake: { rateLimits: { channelMessages: { limit: 2, windowMs: 1500 } } } });
    const t = h.target();
    const stop = new AbortController();
    const before = getEventListeners(stop.signal, 'abort').length;
    // The first two spend the window (the second tells discord.js it is spent); the third waits for the next.
    for (let i = 0; i < 2; i++) await h.poster.send(t.channelId, message(i), `bulletin-${i}`, stop.signal);
    // discord.js's wait for the window cannot be cut short (the engine stops waiting for it at once,
    // see unlessAborted); what the signal guarantees is that the send never leaves.
    const waiting = h.poster.send(t.channelId, message(2), 'bulletin-2', stop.signal);
    setTimeout(() => stop.abort(), 100);
    await expect(waiting).rejects.toThrow(/abort/i);
    expect(getEventListeners(stop.signal, 'abort').length).toBe(before);
    // A fourth send waits for the next window behind anything still queued for the channel (discord.js
    // sends one channel's messages in order): it arriving right after the second shows the third never left.
    await h.poster.send(t.channelId, message(3), 'bulletin-3');
    expect(h.fake.messages(t.channelId).map((m) => m.content)).toEqual(['Bulletin 0.', 'Bulletin 1.', 'Bulletin 3.']);
  });
});
