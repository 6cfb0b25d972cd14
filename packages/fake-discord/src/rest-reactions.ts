/**
 * The bot's own reactions: `PUT /channels/{id}/messages/{mid}/reactions/{emoji}/@me`, as Discord
 * answers it (204; the same reaction twice changes nothing; at most 20 different emoji on a message;
 * Add Reactions needed only to add an emoji nobody has used on that message yet).
 */
import { PermissionFlagsBits, RESTJSONErrorCodes, type APIReaction } from 'discord-api-types/v10';
import { botPermissions, requireBotPermissions, requireChannel, requireMessage, type Core } from './core.ts';
import { ApiError, missingPermissions } from './errors.ts';
import type { Route, RouteRequest } from './router.ts';

const OWN_REACTION = '/channels/{channel.id}/messages/{message.id}/reactions/{emoji}/@me';
const MAX_DISTINCT_REACTIONS = 20;
// A unicode emoji is a short sequence (flags, skin tones and ZWJ families included) with a pictograph in it.
const UNICODE_EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;
const MAX_UNICODE_EMOJI = 32;

export function reactionRoutes(core: Core): Route[] {
  return [{ method: 'PUT', template: OWN_REACTION, major: 'channel.id', handle: (r) => addOwnReaction(core, r) }];
}

const unknownEmoji = (): ApiError => new ApiError(400, RESTJSONErrorCodes.UnknownEmoji, 'Unknown Emoji');

/** The emoji as the path names it: a unicode emoji, or `name:id` for a custom one (which this fake has none of). */
function parseEmoji(raw: string): { id: null; name: string } {
  if (raw.length === 0 || raw.length > MAX_UNICODE_EMOJI || raw.includes(':') || !UNICODE_EMOJI.test(raw)) throw unknownEmoji();
  return { id: null, name: raw };
}

function addOwnReaction(core: Core, request: RouteRequest): { status: number } {
  const channel = requireChannel(core, request.params['channel.id']);
  requireBotPermissions(core, channel, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory);
  const record = requireMessage(core, channel, request.params['message.id']);
  const emoji = parseEmoji(request.params.emoji ?? '');
  const reactions = record.message.reactions ?? [];
  const existing = reactions.find((r) => r.emoji.id === null && r.emoji.name === emoji.name);
  if (existing?.me) return { status: 204 };
  if (!existing) {
    if (!(botPermissions(core, channel) & PermissionFlagsBits.AddReactions)) {
      throw missingPermissions(`the bot lacks AddReactions to add a new reaction in channel ${channel.id}`);
    }
    if (reactions.length >= MAX_DISTINCT_REACTIONS)
      throw new ApiError(400, RESTJSONErrorCodes.MaximumNumberOfReactionsReached, `Maximum number of reactions reached (${MAX_DISTINCT_REACTIONS})`);
  }
  const updated: APIReaction = existing
    ? { ...existing, count: existing.count + 1, count_details: { ...existing.count_details, normal: existing.count_details.normal + 1 }, me: true }
    : { emoji, count: 1, count_details: { burst: 0, normal: 1 }, me: true, me_burst: false, burst_colors: [] };
  record.message = { ...record.message, reactions: existing ? reactions.map((r) => (r === existing ? updated : r)) : [...reactions, updated] };
  core.dispatch(
    'MESSAGE_REACTION_ADD',
    { user_id: core.botUser.id, channel_id: channel.id, message_id: record.message.id, guild_id: record.guildId, emoji, burst: false, type: 0 },
    { guildId: record.guildId, channelId: channel.id },
  );
  return { status: 204 };
}
