/**
 * The bot's own webhook in a channel, for subscriptions that post under a name and avatar of their
 * own: one webhook per channel, named WEBHOOK_NAME and made by the bot (found among the channel's
 * webhooks, or made, with Manage Webhooks), through which each message is sent with the
 * subscription's name and avatar. One webhook whatever the name keeps every post editable when an
 * operator renames the identity, and a channel far from Discord's 15 webhooks.
 */
import { type APIMessage, type APIWebhook, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { DiscordAPIError, type REST, Routes } from 'discord.js';
import { errorMessage } from '../../core/errors.ts';
import { NotInDiscord, OutcomeUnknown, type Poster, TargetGone } from '../../app/delivery/poster.ts';
import { LIMITS } from './limits.ts';
import { renderMessage, renderThreadName, renderWebhookMessage } from './render.ts';

/** The name of the webhook the bot makes in a channel (what a server's Integrations page lists). */
export const WEBHOOK_NAME = 'Paperboy';

/** A REST call that names the request and channel in its errors, and turns Discord's about-the-channel answers into NotInDiscord or TargetGone. */
export type Call = <T>(what: string, channelId: string, request: () => Promise<unknown>) => Promise<T>;

interface Hook {
  readonly id: string;
  readonly token: string;
  readonly channelId: string;
}

/** The webhook is gone (deleted by a moderator) or its token no longer works: made again on the next run, not the article's fault. */
const STALE = new Set<number>([RESTJSONErrorCodes.UnknownWebhook, RESTJSONErrorCodes.InvalidWebhookToken]);

/**
 * The webhook part of the Poster. `once` is a client that never retries: a webhook message takes no
 * nonce, so one Discord made before failing to answer would be made twice by a retry.
 */
export function webhookPoster(
  rest: REST,
  once: REST,
  botId: () => string,
  call: Call,
): Pick<Poster, 'webhookId' | 'sendAs' | 'editAs'> & { readonly reader: (message: APIMessage) => (() => Promise<APIMessage>) | null } {
  const known = new Map<string, Promise<Hook>>();
  /** The webhooks found or made, by webhook id: whose messages `reader` may read through the token. */
  const byId = new Map<string, Hook>();

  async function find(channelId: string): Promise<Hook> {
    try {
      const hooks = await call<APIWebhook[]>('list webhooks', channelId, () => rest.get(Routes.channelWebhooks(channelId)));
      const own = hooks.find((h) => h.name === WEBHOOK_NAME && h.token !== undefined && (h.application_id === botId() || h.user?.id === botId()));
      if (own?.token !== undefined) return remember({ id: own.id, token: own.token, channelId });
      const made = await call<APIWebhook>('make a webhook', channelId, () => rest.post(Routes.channelWebhooks(channelId), { body: { name: WEBHOOK_NAME } }));
      if (made.token === undefined) throw new Error(`Discord made webhook ${made.id} in channel ${channelId} without a token`);
      return remember({ id: made.id, token: made.token, channelId });
    } catch (error) {
      if (error instanceof TargetGone) {
        throw new TargetGone(
          `the bot needs the Manage Webhooks permission in channel ${channelId} to post under the subscription's own name (${error.message})`,
        );
      }
      throw error;
    }
  }

  function remember(hook: Hook): Hook {
    byId.set(hook.id, hook);
    return hook;
  }

  /** The channel's webhook, asked of Discord once per process (and again after a failure). */
  function hookFor(channelId: string): Promise<Hook> {
    let hook = known.get(channelId);
    if (!hook) {
      hook = find(channelId);
      known.set(channelId, hook);
      void hook.catch(() => known.delete(channelId));
    }
    return hook;
  }

  /** A stale webhook is forgotten, so the next run finds or makes it again; anything else is thrown as it is. */
  function stale(channelId: string, error: unknown): Error | null {
    if (!(error instanceof DiscordAPIError && typeof error.code === 'number' && STALE.has(error.code))) return null;
    known.delete(channelId);
    return new Error(`the bot's webhook in channel ${channelId} was deleted or reset (${error.message}); the next run makes it again`, { cause: error });
  }

  /**
   * The bot's webhook `webhookId` in `channelId`, as recorded with a post it made: known to this
   * process, or asked of Discord (an application may read the webhooks it owns). Null when it is gone.
   */
  async function hookById(channelId: string, webhookId: string): Promise<Hook | null> {
    const kept = byId.get(webhookId);
    if (kept) return kept;
    try {
      const hook = await call<APIWebhook>('look up the webhook', channelId, () => rest.get(Routes.webhook(webhookId)));
      return hook.token === undefined || hook.channel_id !== channelId ? null : remember({ id: hook.id, token: hook.token, channelId });
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownWebhook) return null;
      // About this one webhook, not the channel: the subscription goes on posting, and this edit is tried again.
      if (error instanceof TargetGone) throw new Error(`the bot cannot read its webhook ${webhookId} to edit a post made through it (${error.message})`);
      throw error;
    }
  }

  /** A webhook a moderator deleted: forgotten, so the next post finds or makes the channel's webhook again. */
  function forget(hook: Hook): void {
    byId.delete(hook.id);
    known.delete(hook.channelId);
  }

  return {
    /**
     * How to read `message` whole through its webhook, when it is a message of one of the bot's
     * webhooks handed over without content and embeds: without the Message Content intent Discord
     * hands a bot its own webhooks' messages so (discord-api-docs#5411), and a post made through the
     * webhook could not be recognised by its footer after a crash. Null for any other message.
     */
    reader: (message) => {
      const hook = message.webhook_id === undefined ? undefined : byId.get(message.webhook_id);
      if (!hook || message.embeds.length > 0 || message.content !== '') return null;
      const query = message.channel_id === hook.channelId ? undefined : new URLSearchParams({ thread_id: message.channel_id });
      return async () => {
        try {
          return (await rest.get(Routes.webhookMessage(hook.id, hook.token, message.id), { auth: false, ...(query && { query }) })) as APIMessage;
        } catch {
          return message;
        }
      };
    },
    async webhookId(channelId) {
      return (await hookFor(channelId)).id;
    },
    async sendAs(channelId, identity, message, place) {
      const hook = await hookFor(channelId);
      const forum = place !== null && 'threadName' in place ? place : null;
      const threadId = place !== null && 'threadId' in place ? place.threadId : null;
      const tags = forum?.tags.slice(0, LIMITS.appliedTags) ?? [];
      const body = {
        ...renderWebhookMessage(message, identity.name, identity.avatarUrl),
        ...(forum && { thread_name: renderThreadName(forum.threadName) }),
        ...(tags.length > 0 && { applied_tags: tags }),
      };
      const query = new URLSearchParams({ wait: 'true', ...(threadId !== null && { thread_id: threadId }) });
      try {
        const sent = await call<APIMessage>('send through the webhook', threadId ?? channelId, () =>
          once.post(Routes.webhook(hook.id, hook.token), { body, query, auth: false }),
        );
        return sent.id;
      } catch (error) {
        const gone = stale(channelId, error);
        if (gone) throw gone;
        // A 4xx is Discord's answer that nothing was made; anything else (5xx, timeout, reset) leaves it unknown.
        if (error instanceof DiscordAPIError || error instanceof TargetGone || error instanceof NotInDiscord) throw error;
        throw new OutcomeUnknown(`send through the webhook in channel ${channelId}: ${errorMessage(error)}; the message may exist all the same`, {
          cause: error,
        });
      }
    },
    async editAs(channelId, webhookId, messageId, message, threadId) {
      const hook = await hookById(channelId, webhookId);
      if (hook === null) return false;
      const query = threadId === null ? undefined : new URLSearchParams({ thread_id: threadId });
      try {
        await call('edit through the webhook', threadId ?? channelId, () =>
          rest.patch(Routes.webhookMessage(hook.id, hook.token, messageId), { body: renderMessage(message), auth: false, ...(query && { query }) }),
        );
        return true;
      } catch (error) {
        const gone = stale(channelId, error);
        if (gone === null) throw error;
        // Deleted: no webhook can edit its messages. Reset: read again with its new token on the next try.
        forget(hook);
        if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownWebhook) return false;
        throw gone;
      }
    },
  };
}
