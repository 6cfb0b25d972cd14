/**
 * The delivery engine's Poster over discord.js's REST client: each view is rendered by the one
 * Discord renderer (render.ts) and sent through one rate-aware path, since discord.js queues each
 * route by its bucket and waits out Retry-After and X-RateLimit-*. Discord's answers that name
 * something deleted become NotInDiscord (the engine knows whose it was: the subscription's channel,
 * or one article's post or thread); lost access or permission, which is about the whole channel,
 * becomes TargetGone.
 */
import { type APIChannel, type APIMessage, type APIThreadChannel, ChannelType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { DiscordAPIError, HTTPError, REST, Routes } from 'discord.js';
import { errorMessage } from '../../core/errors.ts';
import { NotInDiscord, OutcomeUnknown, type Poster, TargetGone } from '../../app/delivery/poster.ts';
import { LIMITS } from './limits.ts';
import { messageDigest, renderMessage, renderNonce, renderThreadName } from './render.ts';
import { webhookPoster } from './webhooks.ts';

/** About the whole channel, not one message (threads take their channel's). */
const NO_ACCESS = new Set<number>([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel,
]);
/** A week: threads of an article's discussion stay open while people read it. */
const ARCHIVE_MINUTES = 10080;

const THREAD_TYPES = new Set<ChannelType>([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

/** A message's first embed's footer, the post's mark. */
function footerOf(m: APIMessage): string | null {
  return m.embeds[0]?.footer?.text ?? null;
}

/** Pages of 100 archived threads searched for a forum post, at most: older ones are not looked at. */
const ARCHIVED_PAGES = 10;

export async function call<T>(what: string, channelId: string, request: () => Promise<unknown>): Promise<T> {
  try {
    return (await request()) as T;
  } catch (error) {
    if (error instanceof DiscordAPIError) {
      const said = `${error.message} (${what} in channel ${channelId}, Discord code ${error.code})`;
      if (error.code === RESTJSONErrorCodes.UnknownChannel) throw new NotInDiscord(said, 'channel', channelId);
      if (error.code === RESTJSONErrorCodes.UnknownMessage) throw new NotInDiscord(said, 'message', channelId);
      if (typeof error.code === 'number' && NO_ACCESS.has(error.code)) throw new TargetGone(said);
    }
    // discord.js names only the status ("Internal Server Error"): say which request it was.
    if (error instanceof HTTPError) throw new Error(`${what} in channel ${channelId}: Discord answered ${error.status} ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Runs `request` with a signal of its own that follows `signal`, and stops following it when the
 * request settles. discord.js adds an abort listener to the signal it is given and never removes it
 * (@discordjs/rest's makeNetworkRequest): handed the delivery runner's signal, which lives as long
 * as the process, every message sent would leave one behind. The request's own signal goes with it.
 */
async function withOwnSignal<T>(signal: AbortSignal | undefined, request: (own: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!signal) return request(undefined);
  const own = new AbortController();
  const follow = (): void => own.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  try {
    return await request(own.signal);
  } finally {
    signal.removeEventListener('abort', follow);
  }
}

/**
 * The Poster over a discord.js REST client: `discordPoster(client.rest, () => client.user?.id ?? '', token)`
 * in the bot, or `discordPoster(new REST({ api }).setToken(token), () => botId, token)` without a gateway.
 * `botId` is asked on each use, since a client knows its user only once logged in. The token makes
 * a second client with the same options and no retries, for requests that carry no nonce.
 */
export function discordPoster(rest: REST, botId: () => string, token: string): Poster {
  // discord.js retries a 5xx or a timeout by itself; a forum post Discord made before failing to
  // answer would be made twice. Those go through this client, and the engine looks before retrying.
  const once = new REST({ ...rest.options, retries: 0 }).setToken(token);
  const { reader, ...webhooks } = webhookPoster(rest, once, botId, call);
  return {
    botId,
    digest: messageDigest,
    ...webhooks,
    async send(channelId, message, nonce, signal) {
      // fail_if_not_exists false: a parent message deleted by a moderator never blocks the thread.
      const reply = message.replyTo !== undefined && { message_reference: { message_id: message.replyTo, fail_if_not_exists: false } };
      const body = { ...renderMessage(message), ...reply, nonce: renderNonce(nonce), enforce_nonce: true };
      const sent = await withOwnSignal(signal, (own) =>
        call<APIMessage>('send', channelId, () => rest.post(Routes.channelMessages(channelId), { body, ...(own && { signal: own }) })),
      );
      return sent.id;
    },
    async startThread(channelId, messageId, name) {
      try {
        const thread = await call<APIChannel>('start a thread', channelId, () =>
          rest.post(Routes.threads(channelId, messageId), { body: { name: renderThreadName(name), auto_archive_duration: ARCHIVE_MINUTES } }),
        );
        return thread.id;
      } catch (error) {
        // The thread's id is the message's.
        if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) return messageId;
        throw error;
      }
    },
    async forumPost(forumId, name, message, tags = []) {
      const applied = tags.slice(0, LIMITS.appliedTags);
      const body = {
        name: renderThreadName(name),
        auto_archive_duration: ARCHIVE_MINUTES,
        message: renderMessage(message),
        ...(applied.length > 0 && { applied_tags: applied }),
      };
      try {
        return (await call<APIChannel>('create a forum post', forumId, () => once.post(Routes.threads(forumId), { body }))).id;
      } catch (error) {
        // A 4xx is Discord's answer that nothing was made; anything else (5xx, timeout, reset) leaves it unknown.
        if (error instanceof DiscordAPIError || error instanceof TargetGone || error instanceof NotInDiscord) throw error;
        // call() has named a 5xx already; a timeout or a reset says only "aborted" or "ECONNRESET".
        const what =
          error instanceof Error && error.cause instanceof HTTPError
            ? error.message
            : `create a forum post in channel ${forumId}: no answer (${errorMessage(error)})`;
        throw new OutcomeUnknown(`${what}; the post may exist all the same`, { cause: error });
      }
    },
    async findForumPost(guildId, forumId, name, footer, since, onBound, owners) {
      const shown = renderThreadName(name);
      const own = new Set(owners ?? [botId()]);
      const candidate = (t: APIThreadChannel): boolean => t.parent_id === forumId && t.name === shown && own.has(t.owner_id ?? '');
      const { threads } = await call<{ threads: APIThreadChannel[] }>('list threads', forumId, () => rest.get(Routes.guildActiveThreads(guildId)));
      for (const thread of threads.filter(candidate)) if (await startedWith(thread.id, footer)) return thread.id;
      // A post left unrecorded longer than its auto-archive time is archived: page back to the attempt.
      let before: string | null = null;
      for (let page = 0; page < ARCHIVED_PAGES; page++) {
        const query: URLSearchParams = new URLSearchParams({ limit: '100', ...(before !== null && { before }) });
        const archived: { threads: APIThreadChannel[]; has_more: boolean } = await call<{ threads: APIThreadChannel[]; has_more: boolean }>(
          'list archived threads',
          forumId,
          () => rest.get(Routes.channelThreads(forumId, 'public'), { query }),
        );
        for (const thread of archived.threads.filter(candidate)) if (await startedWith(thread.id, footer)) return thread.id;
        const oldest: string | undefined = archived.threads.at(-1)?.thread_metadata?.archive_timestamp;
        // A thread archived before the post was attempted cannot be it.
        if (!archived.has_more || !oldest || (since !== undefined && Date.parse(oldest) < since)) return null;
        before = oldest;
      }
      onBound?.(ARCHIVED_PAGES * 100);
      return null;
    },
    async edit(channelId, messageId, message) {
      await call('edit', channelId, () => rest.patch(Routes.channelMessage(channelId, messageId), { body: renderMessage(message) }));
    },
    async after(channelId, afterId, limit) {
      const query = new URLSearchParams({ limit: String(Math.min(limit, 100)) });
      if (afterId) query.set('after', afterId);
      const read = await call<APIMessage[]>('read messages', channelId, () => rest.get(Routes.channelMessages(channelId), { query }));
      // Not read through the webhook here: a page may hold 100 of its messages, and the caller knows which few it looks for.
      return read
        .map((m) => {
          const whole = reader(m);
          const revealFooter = whole && (async () => footerOf(await whole()));
          return { id: m.id, authorId: m.author.id, content: m.content, footer: footerOf(m), ...(revealFooter && { revealFooter }) };
        })
        .sort((x, y) => (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
    },
    async checkChannel(channelId) {
      await call('look up the channel', channelId, () => rest.get(Routes.channel(channelId)));
    },
    async channel(channelId) {
      const c = await call<APIChannel>('look up the channel', channelId, () => rest.get(Routes.channel(channelId)));
      return {
        guildId: 'guild_id' in c ? (c.guild_id ?? null) : null,
        thread: THREAD_TYPES.has(c.type),
        parentId: 'parent_id' in c ? (c.parent_id ?? null) : null,
        tagIds: c.type === ChannelType.GuildForum ? c.available_tags.map((t) => t.id) : [],
      };
    },
  };

  /** Whether the thread's starter message carries `footer`; a deleted starter (or thread) is not it. */
  async function startedWith(threadId: string, footer: string): Promise<boolean> {
    try {
      // A starter the bot's webhook made comes without its embeds unless read through the webhook.
      const starter = (await rest.get(Routes.channelMessage(threadId, threadId))) as APIMessage;
      const whole = reader(starter);
      return footerOf(whole ? await whole() : starter) === footer;
    } catch (error) {
      // Another post of the same name whose starter (or thread) was deleted: not the one sought, and no reason to pause.
      if (error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.UnknownMessage || error.code === RESTJSONErrorCodes.UnknownChannel))
        return false;
      throw error;
    }
  }
}
