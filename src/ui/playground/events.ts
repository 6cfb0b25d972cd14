/**
 * Live updates for the page: what the local Discord tells a client (messages, threads, channels)
 * turned into server-sent events, plus the ephemeral replies meant for the page's member, which
 * no gateway event carries and which are kept here so that reopening a channel still shows them.
 */
import { ChannelType, type APIChannel, type APIMessage } from 'discord-api-types/v10';
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { FakeDiscord } from '@paperboy/fake-discord';
import type { PlaygroundEvent } from './client/types.ts';

/** Ephemeral replies kept per channel; older ones go, as Discord drops them on reload anyway. */
const EPHEMERAL_KEPT = 50;
/** A comment line now and then keeps proxies and the browser from closing an idle stream. */
const KEEPALIVE_MS = 20_000;

const THREAD_TYPES = new Set<number>([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

export class EventHub {
  /** Each open stream, with what ends it (its request handler waits on that). */
  readonly #streams = new Map<SSEStreamingApi, () => void>();
  readonly #ephemeral = new Map<string, APIMessage[]>();
  readonly #keepalive: NodeJS.Timeout;

  constructor(
    private readonly fake: FakeDiscord,
    private readonly meId: string,
  ) {
    fake.on('dispatch', this.#onDispatch);
    fake.on('ephemeral', this.#onEphemeral);
    this.#keepalive = setInterval(() => {
      for (const s of this.#streams.keys()) void s.write(': keepalive\n\n');
    }, KEEPALIVE_MS);
    this.#keepalive.unref();
  }

  /** Answers a request with an event stream; it ends when the browser goes away or the hub closes. */
  attach(c: Context): Response {
    return streamSSE(c, async (stream) => {
      // Tells EventSource how soon to reconnect after the server restarts.
      await stream.write('retry: 1000\n\n');
      await new Promise<void>((end) => {
        this.#streams.set(stream, end);
        stream.onAbort(end);
      });
      this.#streams.delete(stream);
    });
  }

  /** The page member's ephemeral replies in a channel, oldest first. */
  ephemeralIn(channelId: string): APIMessage[] {
    return structuredClone(this.#ephemeral.get(channelId) ?? []);
  }

  close(): void {
    clearInterval(this.#keepalive);
    this.fake.off('dispatch', this.#onDispatch);
    this.fake.off('ephemeral', this.#onEphemeral);
    for (const end of this.#streams.values()) end();
    this.#streams.clear();
  }

  #send(event: PlaygroundEvent): void {
    const data = JSON.stringify(event);
    // Writes queue in order on each stream; a stream that has gone drops them.
    for (const s of this.#streams.keys()) void s.writeSSE({ event: event.type, data });
  }

  readonly #onDispatch = (name: string, data: unknown): void => {
    const payload = data as Record<string, unknown>;
    switch (name) {
      case 'MESSAGE_CREATE':
      case 'MESSAGE_UPDATE':
        this.#send({ type: 'message', message: payload as unknown as APIMessage });
        this.#threadChanged(String(payload.channel_id));
        break;
      case 'MESSAGE_DELETE':
        this.#send({ type: 'message-delete', id: String(payload.id), channelId: String(payload.channel_id) });
        this.#threadChanged(String(payload.channel_id));
        break;
      case 'MESSAGE_REACTION_ADD':
      case 'MESSAGE_REACTION_REMOVE':
      case 'MESSAGE_REACTION_REMOVE_ALL':
      case 'MESSAGE_REACTION_REMOVE_EMOJI':
        // The event carries only the emoji; the page redraws the message with its reactions as the local Discord now has them.
        this.#messageChanged(String(payload.message_id));
        break;
      case 'CHANNEL_CREATE':
      case 'CHANNEL_UPDATE':
      case 'THREAD_CREATE':
      case 'THREAD_UPDATE':
        this.#send({ type: 'channel', channel: payload as unknown as APIChannel });
        break;
      case 'CHANNEL_DELETE':
      case 'THREAD_DELETE':
        this.#send({ type: 'channel-delete', id: String(payload.id) });
        break;
    }
  };

  readonly #onEphemeral = (change: 'create' | 'update' | 'delete', message: APIMessage): void => {
    if (message.interaction_metadata?.user.id !== this.meId) return;
    const kept = this.#ephemeral.get(message.channel_id) ?? [];
    const at = kept.findIndex((m) => m.id === message.id);
    if (change === 'delete') {
      if (at >= 0) kept.splice(at, 1);
      this.#send({ type: 'message-delete', id: message.id, channelId: message.channel_id });
      return;
    }
    if (at >= 0) kept[at] = message;
    else kept.push(message);
    if (kept.length > EPHEMERAL_KEPT) kept.splice(0, kept.length - EPHEMERAL_KEPT);
    this.#ephemeral.set(message.channel_id, kept);
    this.#send({ type: 'message', message });
  };

  #messageChanged(messageId: string): void {
    const message = this.fake.message(messageId);
    if (message) this.#send({ type: 'message', message });
  }

  /** A thread's message count changes with each message; Discord's client shows it on the starter. */
  #threadChanged(channelId: string): void {
    const channel = this.fake.channel(channelId);
    if (channel && THREAD_TYPES.has(channel.type)) this.#send({ type: 'channel', channel: channel as APIChannel });
  }
}
