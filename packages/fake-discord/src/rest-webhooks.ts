/**
 * Channel webhooks over REST, as Discord has them: made, listed, fetched and deleted by the bot
 * with Manage Webhooks; executed with their token and no Authorization (`?wait=true` answers the
 * message; `thread_id` posts into a thread of the channel; `thread_name` and `applied_tags` make a
 * forum post); their messages fetched and edited through the token. A webhook message has
 * `webhook_id` and an author that is the webhook (`id` the webhook's, `username` the name given
 * with the message or the webhook's own, `bot: true`). The token routes share their paths with
 * interaction follow-ups (`/webhooks/{application.id}/{token}`): an id that is no channel webhook
 * is handed to those.
 */
import { ChannelType, PermissionFlagsBits, RESTJSONErrorCodes, WebhookType, type APIMessage, type APIUser } from 'discord-api-types/v10';
import { requireBotPermissions, requireChannel, type Core } from './core.ts';
import { ApiError, invalidFormBody, invalidWebhookToken, unknownChannel, unknownMessage, unknownWebhook, type FormIssue } from './errors.ts';
import { FormChecker, isRecord } from './form-checker.ts';
import { checkAppliedTags } from './forum-tags.ts';
import { randomSecret } from './ids.ts';
import type { Route, RouteReply, RouteRequest } from './router.ts';
import { archiveDuration, startForumPost } from './rest-threads.ts';
import { isThread, type FakeChannel, type MessageRecord, type WebhookRecord } from './state.ts';
import { checkMessageBody, checkThreadBody } from './validate-message.ts';

/** Discord's limit of webhooks in one channel. */
export const WEBHOOKS_PER_CHANNEL = 15;
const TOKEN = '/webhooks/{webhook.id}/{webhook.token}';

/** `interactions`: the interaction routes, which answer a token route whose id is no channel webhook. */
export function webhookRoutes(core: Core, interactions: readonly Route[]): Route[] {
  const open = { auth: false, globalExempt: true, major: 'webhook.token' } as const;
  const orInteraction = (method: Route['method'], suffix: string, handle: (r: RouteRequest, hook: WebhookRecord) => RouteReply): Route => {
    const template = `/webhooks/{application.id}/{webhook.token}${suffix}`;
    const other = interactions.find((r) => r.method === method && r.template === template);
    return {
      method,
      template: `${TOKEN}${suffix}`,
      ...open,
      handle: (r) => {
        const hook = core.state.webhooks.get(r.params['webhook.id'] ?? '');
        if (hook) return handle(r, withToken(hook, r));
        if (!other) throw unknownWebhook();
        return other.handle({ ...r, params: { ...r.params, 'application.id': r.params['webhook.id'] ?? '' } });
      },
    };
  };
  return [
    { method: 'POST', template: '/channels/{channel.id}/webhooks', major: 'channel.id', handle: (r) => ({ status: 200, body: createWebhook(core, r) }) },
    { method: 'GET', template: '/channels/{channel.id}/webhooks', major: 'channel.id', handle: (r) => ({ status: 200, body: listWebhooks(core, r) }) },
    { method: 'GET', template: '/webhooks/{webhook.id}', major: 'webhook.id', handle: (r) => ({ status: 200, body: structuredClone(managed(core, r)) }) },
    {
      method: 'DELETE',
      template: '/webhooks/{webhook.id}',
      major: 'webhook.id',
      handle: (r) => {
        core.state.webhooks.delete(managed(core, r).id);
        return { status: 204 };
      },
    },
    orInteraction('POST', '', (r, hook) => execute(core, r, hook)),
    orInteraction('GET', '/messages/{message.id}', (r, hook) => ({ status: 200, body: structuredClone(webhookMessage(core, r, hook).message) })),
    orInteraction('PATCH', '/messages/{message.id}', (r, hook) => ({ status: 200, body: editMessage(core, r, hook) })),
    orInteraction('DELETE', '/messages/{message.id}', (r, hook) => {
      core.messages.delete(webhookMessage(core, r, hook));
      return { status: 204 };
    }),
  ];
}

function withToken(hook: WebhookRecord, request: RouteRequest): WebhookRecord {
  if (request.params['webhook.token'] !== hook.token) throw invalidWebhookToken();
  return hook;
}

/** A webhook's name or a message's username: 1–80 characters, and never "clyde" or "discord", as Discord refuses. */
function checkName(check: FormChecker, path: string, name: unknown, required: boolean): void {
  if (!required && (name === undefined || name === null)) return;
  const length = check.text([path], name, 1, 80, true);
  if (length === 0 || typeof name !== 'string') return;
  for (const word of ['clyde', 'discord']) {
    if (name.toLowerCase().includes(word)) check.add([path], 'USERNAME_INVALID_CONTAINS', `Username cannot contain "${word}"`);
  }
}

function webhookChannel(core: Core, request: RouteRequest): FakeChannel {
  const channel = requireChannel(core, request.params['channel.id']);
  if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildForum) {
    throw new ApiError(400, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type');
  }
  requireBotPermissions(core, channel, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ManageWebhooks);
  return channel;
}

function createWebhook(core: Core, request: RouteRequest): WebhookRecord {
  const channel = webhookChannel(core, request);
  const body = isRecord(request.body) ? request.body : {};
  const check = new FormChecker();
  checkName(check, 'name', body.name, true);
  if (check.issues.length > 0) throw invalidFormBody(check.issues);
  if ([...core.state.webhooks.values()].filter((w) => w.channel_id === channel.id).length >= WEBHOOKS_PER_CHANNEL) {
    throw new ApiError(400, RESTJSONErrorCodes.MaximumNumberOfWebhooksReached, `Maximum number of webhooks reached (${WEBHOOKS_PER_CHANNEL})`);
  }
  const id = core.state.ids.next();
  const hook: WebhookRecord = {
    id,
    type: WebhookType.Incoming,
    guild_id: channel.guild_id ?? null,
    channel_id: channel.id,
    user: structuredClone(core.botUser),
    name: body.name as string,
    avatar: null,
    token: randomSecret(34),
    application_id: core.applicationId,
    url: `https://discord.com/api/webhooks/${id}`,
  };
  core.state.webhooks.set(id, hook);
  return structuredClone(hook);
}

function listWebhooks(core: Core, request: RouteRequest): WebhookRecord[] {
  const channel = webhookChannel(core, request);
  return [...core.state.webhooks.values()].filter((w) => w.channel_id === channel.id).map((w) => structuredClone(w));
}

/** A webhook the bot may manage: Manage Webhooks in its channel. */
function managed(core: Core, request: RouteRequest): WebhookRecord {
  const hook = core.state.webhooks.get(request.params['webhook.id'] ?? '');
  if (!hook) throw unknownWebhook();
  const channel = requireChannel(core, hook.channel_id);
  requireBotPermissions(core, channel, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ManageWebhooks);
  return hook;
}

/** The thread `thread_id` names, which must be in the webhook's channel; an archived one is unarchived, as Discord does. */
function threadOf(core: Core, hook: WebhookRecord, threadId: string): FakeChannel {
  const thread = core.state.channels.get(threadId);
  if (!thread || !isThread(thread) || thread.parent_id !== hook.channel_id) throw unknownChannel();
  if (thread.thread_metadata?.archived) {
    thread.thread_metadata = { ...thread.thread_metadata, archived: false };
    core.dispatch('THREAD_UPDATE', structuredClone(thread) as unknown as Record<string, unknown>, { guildId: thread.guild_id ?? '' });
  }
  return thread;
}

function execute(core: Core, request: RouteRequest, hook: WebhookRecord): RouteReply {
  const channel = requireChannel(core, hook.channel_id);
  const body = isRecord(request.body) ? request.body : {};
  const threadId = request.query.get('thread_id');
  const forum = channel.type === ChannelType.GuildForum;
  const named = body.thread_name !== undefined && body.thread_name !== null;
  if (named && threadId !== null)
    throw new ApiError(
      400,
      RESTJSONErrorCodes.WebhooksPostedToForumChannelsCannotHaveBothAThreadNameAndThreadId,
      'Webhooks posted to forum channels cannot have both a thread_name and thread_id',
    );
  if (named && !forum)
    throw new ApiError(400, RESTJSONErrorCodes.WebhooksCanOnlyCreateThreadsInForumChannels, 'Webhooks can only create threads in forum channels');
  if (forum && !named && threadId === null)
    throw new ApiError(
      400,
      RESTJSONErrorCodes.WebhooksPostedToForumChannelsMustHaveAThreadNameOrThreadId,
      'Webhooks posted to forum channels must have a thread_name or thread_id',
    );
  const check = new FormChecker();
  checkName(check, 'username', body.username, false);
  if (body.avatar_url !== undefined && typeof body.avatar_url !== 'string') check.add(['avatar_url'], 'BASE_TYPE_STRING', 'Must be a string.');
  const issues: FormIssue[] = [...checkMessageBody(body), ...check.issues];
  if (named)
    issues.push(...checkThreadBody({ name: body.thread_name }).map((i) => ({ ...i, path: ['thread_name'] })), ...checkAppliedTags(channel, body.applied_tags));
  if (issues.length > 0) throw invalidFormBody(issues);
  const author: APIUser = {
    id: hook.id,
    username: typeof body.username === 'string' ? body.username : (hook.name ?? 'Webhook'),
    discriminator: '0000',
    global_name: null,
    avatar: null,
    bot: true,
  };
  const extra = { webhook_id: hook.id, application_id: core.applicationId };
  let message: APIMessage;
  if (named) {
    const name = body.thread_name as string;
    message = startForumPost(core, channel, {
      name,
      autoArchiveDuration: archiveDuration({}, channel),
      appliedTags: body.applied_tags,
      author,
      body,
      extra,
    }).message;
  } else {
    const target = threadId === null ? channel : threadOf(core, hook, threadId);
    message = core.messages.create({ channel: target, author, body, extra });
  }
  // Without wait=true Discord answers 204 and no message.
  return request.query.get('wait') === 'true' ? { status: 200, body: structuredClone(message) } : { status: 204 };
}

/** A message this webhook sent, in its channel or (with `thread_id`) in that thread; anything else is Unknown Message. */
function webhookMessage(core: Core, request: RouteRequest, hook: WebhookRecord): MessageRecord {
  const threadId = request.query.get('thread_id');
  const where = threadId === null ? hook.channel_id : threadOf(core, hook, threadId).id;
  const record = core.state.messages.get(request.params['message.id'] ?? '');
  if (!record || record.message.webhook_id !== hook.id || record.message.channel_id !== where) throw unknownMessage();
  return record;
}

function editMessage(core: Core, request: RouteRequest, hook: WebhookRecord): APIMessage {
  const record = webhookMessage(core, request, hook);
  const body = isRecord(request.body) ? request.body : {};
  const issues = checkMessageBody(body);
  if (issues.length > 0) throw invalidFormBody(issues);
  return structuredClone(core.messages.edit(record, body));
}
