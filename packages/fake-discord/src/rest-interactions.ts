/**
 * Answering interactions: the one callback (within the deadline, only once), then edits of
 * @original and follow-ups through the interaction's webhook while its token lives. These routes
 * take no bot token and sit outside the global rate limit, as on Discord.
 */
import { InteractionResponseType, InteractionType, MessageFlags, MessageType, RESTJSONErrorCodes, type APIMessage } from 'discord-api-types/v10';
import type { Core } from './core.ts';
import { alreadyAcknowledged, ApiError, invalidFormBody, invalidWebhookToken, unknownInteraction, unknownMessage, unknownWebhook } from './errors.ts';
import { isRecord } from './form-checker.ts';
import { copyOut } from './messages.ts';
import type { InteractionRecord } from './interactions.ts';
import type { Route, RouteRequest, RouteReply } from './router.ts';
import type { InteractionReply } from './types.ts';
import { checkAutocompleteData, checkMessageBody, checkModalData } from './validate-message.ts';

const WEBHOOK = '/webhooks/{application.id}/{webhook.token}';

export function interactionRoutes(core: Core): Route[] {
  const open = { auth: false, globalExempt: true } as const;
  return [
    {
      method: 'POST',
      template: '/interactions/{interaction.id}/{interaction.token}/callback',
      major: 'interaction.id',
      ...open,
      handle: (r) => callback(core, r),
    },
    { method: 'POST', template: WEBHOOK, major: 'webhook.token', ...open, handle: (r) => followUp(core, r) },
    {
      method: 'GET',
      template: `${WEBHOOK}/messages/{message.id}`,
      major: 'webhook.token',
      ...open,
      handle: (r) => ({ status: 200, body: getResponse(core, r) }),
    },
    {
      method: 'PATCH',
      template: `${WEBHOOK}/messages/{message.id}`,
      major: 'webhook.token',
      ...open,
      handle: (r) => ({ status: 200, body: editResponse(core, r) }),
    },
    { method: 'DELETE', template: `${WEBHOOK}/messages/{message.id}`, major: 'webhook.token', ...open, handle: (r) => deleteResponse(core, r) },
  ];
}

/** What the user sees of a message. */
export function replyOf(message: APIMessage): InteractionReply {
  const flags = message.flags ?? 0;
  const copy = copyOut(message);
  return {
    content: copy.content,
    embeds: copy.embeds,
    components: structuredClone(copy.components ?? []),
    flags,
    ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
    message: copy,
  };
}

function callback(core: Core, request: RouteRequest): RouteReply {
  const record = core.interactions.byId(request.params['interaction.id'] ?? '');
  if (!record || record.token !== request.params['interaction.token']) throw unknownInteraction();
  const body = isRecord(request.body) ? request.body : {};
  const type = (typeof body.type === 'number' ? body.type : -1) as InteractionResponseType;
  const at = Date.now();
  try {
    const reply = respond(core, record, type, isRecord(body.data) ? body.data : {}, request.query.get('with_response') === 'true');
    record.callbacks.push({ type, data: body.data, at, status: reply.status });
    return reply;
  } catch (error) {
    record.callbacks.push({ type, data: body.data, at, status: error instanceof ApiError ? error.status : 500 });
    throw error;
  }
}

function respond(core: Core, record: InteractionRecord, type: InteractionResponseType, data: Record<string, unknown>, withResponse: boolean): RouteReply {
  if (record.acknowledgedWith !== null) throw alreadyAcknowledged();
  if (!core.interactions.withinDeadline(record)) {
    const late = Date.now() - record.createdAt;
    throw new ApiError(
      404,
      RESTJSONErrorCodes.UnknownInteraction,
      'Unknown interaction',
      undefined,
      `the first callback of ${record.label} came ${late} ms after it was created`,
    );
  }
  const ephemeral = typeof data.flags === 'number' && (data.flags & MessageFlags.Ephemeral) !== 0;
  const fromMessage = record.sourceMessageId !== undefined;
  const allowed: Record<number, boolean> = {
    [InteractionResponseType.ChannelMessageWithSource]: record.type !== InteractionType.ApplicationCommandAutocomplete,
    [InteractionResponseType.DeferredChannelMessageWithSource]: record.type !== InteractionType.ApplicationCommandAutocomplete,
    [InteractionResponseType.DeferredMessageUpdate]: fromMessage,
    [InteractionResponseType.UpdateMessage]: fromMessage,
    [InteractionResponseType.ApplicationCommandAutocompleteResult]: record.type === InteractionType.ApplicationCommandAutocomplete,
    [InteractionResponseType.Modal]: record.type === InteractionType.ApplicationCommand || record.type === InteractionType.MessageComponent,
  };
  if (!allowed[type]) {
    throw invalidFormBody([
      { path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Response type ${type} is not valid for interaction type ${record.type}` },
    ]);
  }
  let message: APIMessage | undefined;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const issues = checkMessageBody(data, ['data']);
      if (issues.length > 0) throw invalidFormBody(issues);
      message = createResponseMessage(core, record, webhookDefaults(data), ephemeral, false);
      core.interactions.showReply(record, replyOf(message));
      break;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource:
      message = createResponseMessage(core, record, {}, ephemeral, true);
      break;
    case InteractionResponseType.DeferredMessageUpdate:
      record.originalId = record.sourceMessageId;
      break;
    case InteractionResponseType.UpdateMessage: {
      const issues = checkMessageBody(data, ['data']);
      if (issues.length > 0) throw invalidFormBody(issues);
      const source = core.state.messages.get(record.sourceMessageId ?? '');
      if (!source) throw unknownMessage();
      message = core.messages.edit(source, webhookDefaults(data));
      record.originalId = message.id;
      core.interactions.showReply(record, replyOf(message));
      break;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult: {
      const issues = checkAutocompleteData(data);
      if (issues.length > 0) throw invalidFormBody(issues);
      core.interactions.showChoices(record, structuredClone(data.choices as Array<{ name: string; value: string | number }>));
      break;
    }
    case InteractionResponseType.Modal: {
      const issues = checkModalData(data);
      if (issues.length > 0) throw invalidFormBody(issues);
      const modal = structuredClone(data) as unknown as InteractionReply['modal'];
      core.interactions.showReply(record, { content: '', embeds: [], components: [], flags: 0, ephemeral: false, ...(modal && { modal }) });
      break;
    }
  }
  core.interactions.acknowledge(record, type);
  if (!withResponse) return { status: 204 };
  const flags = message?.flags ?? 0;
  return {
    status: 200,
    body: {
      interaction: {
        id: record.id,
        type: record.type,
        ...(message && {
          response_message_id: message.id,
          response_message_loading: (flags & MessageFlags.Loading) !== 0,
          response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
        }),
      },
      resource: { type, ...(message && { message: structuredClone(message) }) },
    },
  };
}

/**
 * Interaction responses and webhooks parse only user mentions when `allowed_mentions` is absent
 * (ordinary messages parse everything), so `@everyone` in a reply pings nobody by default.
 */
function webhookDefaults(body: Record<string, unknown>): Record<string, unknown> {
  return body.allowed_mentions === undefined ? { ...body, allowed_mentions: { parse: ['users'] } } : body;
}

/** A message the app posts for an interaction: a reply, a deferred placeholder, a follow-up. */
function createResponseMessage(
  core: Core,
  record: InteractionRecord,
  body: Record<string, unknown>,
  ephemeral: boolean,
  loading: boolean,
  followUp = false,
): APIMessage {
  const channel = core.state.channels.get(record.channelId);
  if (!channel) throw new ApiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
  const user = structuredClone(core.state.users.get(record.userId));
  const metadata = {
    id: record.id,
    type: record.type,
    user,
    authorizing_integration_owners: { '0': record.guildId },
    ...(record.sourceMessageId !== undefined && { interacted_message_id: record.sourceMessageId }),
  };
  const message = core.messages.create({
    channel,
    author: core.botUser,
    body,
    ephemeral,
    loading,
    type: record.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
    extra: {
      webhook_id: core.applicationId,
      application_id: core.applicationId,
      interaction_metadata: metadata as APIMessage['interaction_metadata'],
      // Deprecated but still sent by Discord, and the only place a client finds the command's name.
      ...(record.type === InteractionType.ApplicationCommand &&
        user && { interaction: { id: record.id, type: record.type, name: record.label.replace(/^\//, ''), user } }),
    },
  });
  if (!followUp) record.originalId = message.id;
  return message;
}

/** The interaction behind a webhook path, if its token still works. */
function webhookRecord(core: Core, request: RouteRequest): InteractionRecord {
  if (request.params['application.id'] !== core.applicationId) throw unknownWebhook();
  const record = core.interactions.byToken(request.params['webhook.token'] ?? '');
  if (!record) throw invalidWebhookToken();
  if (!core.interactions.tokenAlive(record)) {
    throw new ApiError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token', undefined, `the token of ${record.label} expired`);
  }
  return record;
}

/** The response message `@original` or a follow-up id names, or 404 10008. */
function responseMessage(core: Core, record: InteractionRecord, id: string | undefined) {
  const messageId = id === '@original' ? record.originalId : record.followUpIds.includes(id ?? '') ? id : undefined;
  const stored = messageId === undefined ? undefined : core.state.messages.get(messageId);
  if (!stored) throw unknownMessage();
  return stored;
}

function getResponse(core: Core, request: RouteRequest): APIMessage {
  const record = webhookRecord(core, request);
  return structuredClone(responseMessage(core, record, request.params['message.id']).message);
}

function editResponse(core: Core, request: RouteRequest): APIMessage {
  const record = webhookRecord(core, request);
  const stored = responseMessage(core, record, request.params['message.id']);
  const body = isRecord(request.body) ? request.body : {};
  const issues = checkMessageBody(body);
  if (issues.length > 0) throw invalidFormBody(issues);
  const message = core.messages.edit(stored, webhookDefaults(body));
  core.interactions.showReply(record, replyOf(message));
  return structuredClone(message);
}

function deleteResponse(core: Core, request: RouteRequest): RouteReply {
  const record = webhookRecord(core, request);
  core.messages.delete(responseMessage(core, record, request.params['message.id']));
  return { status: 204 };
}

function followUp(core: Core, request: RouteRequest): RouteReply {
  const record = webhookRecord(core, request);
  // Before the first callback there is no webhook to send through.
  if (record.acknowledgedWith === null) throw unknownWebhook();
  const body = isRecord(request.body) ? request.body : {};
  const issues = checkMessageBody(body);
  if (issues.length > 0) throw invalidFormBody(issues);
  const original = record.originalId === undefined ? undefined : core.state.messages.get(record.originalId);
  let message: APIMessage;
  if (
    record.acknowledgedWith === InteractionResponseType.DeferredChannelMessageWithSource &&
    original &&
    (original.message.flags ?? 0) & MessageFlags.Loading
  ) {
    // Discord's rule: the first follow-up after a deferred reply replaces the "thinking…" message.
    message = core.messages.edit(original, webhookDefaults(body));
  } else {
    const ephemeral = typeof body.flags === 'number' && (body.flags & MessageFlags.Ephemeral) !== 0;
    message = createResponseMessage(core, record, webhookDefaults(body), ephemeral, false, true);
  }
  record.followUpIds.push(message.id);
  core.interactions.showReply(record, replyOf(message));
  return request.query.get('wait') === 'true' ? { status: 200, body: structuredClone(message) } : { status: 204 };
}
