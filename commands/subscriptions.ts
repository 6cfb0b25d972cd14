/** /subscriptions: this server's subscriptions, with what each has posted and when, and any pause. */
import { z } from 'zod';
import { LIMITS, truncate } from '../src/discord/limits.ts';
import { showBackfill, type Subscription } from '../src/delivery/subscriptions.ts';
import { defineCommand } from '../src/views/command.ts';
import { plural, showTime } from '../src/views/format.ts';
import { escape } from '../src/views/markdown.ts';
import type { EmbedField, View } from '../src/views/view.ts';
import { ADMIN_ONLY, requireAdmin } from './admin.ts';

function describe(s: Subscription): EmbedField {
  const filter = [s.source && `source ${escape(s.source)}`, s.keywords && `keywords \`${s.keywords.replace(/`/g, 'ˋ')}\``].filter(Boolean).join(', ') || 'every article';
  const lines = [
    `<#${s.channelId}> (${s.kind}): ${filter}; backfill ${showBackfill(s.backfill)}`,
    `Posted ${plural(s.posted, 'article')}${s.lastPostedAt ? `, last at ${showTime(s.lastPostedAt.slice(0, 16))} UTC` : ''}.`,
  ];
  if (s.paused) lines.push(`⏸ **Paused** since ${showTime(s.paused.at.slice(0, 16))} UTC: ${escape(s.paused.reason)}. Fix it, then /subscribe again to resume.`);
  else if (s.lastError) lines.push(`⚠ Last run stopped part way: ${escape(s.lastError)}. The next run resumes.`);
  return { name: truncate(`#${s.channelName}`, LIMITS.embedFieldName).text, value: truncate(lines.join('\n'), LIMITS.embedFieldValue).text };
}

export function subscriptionsView(subs: readonly Subscription[], cron: string | null): View {
  const shown = subs.slice(0, LIMITS.embedFields);
  const more = subs.length - shown.length;
  return {
    ephemeral: true,
    embeds: [
      {
        title: 'Subscriptions',
        description: subs.length === 0 ? 'None yet. Add one with /subscribe.' : `${plural(subs.length, 'subscription')}${more > 0 ? ` (the first ${shown.length} shown)` : ''}.${cron ? ` Delivery runs on \`${cron}\`.` : ''}`,
        fields: shown.map(describe),
      },
    ],
  };
}

export default defineCommand({
  definition: { name: 'subscriptions', description: 'List this server’s subscriptions and what each has posted', ...ADMIN_ONLY },
  options: z.object({}),
  defer: false,
  ephemeral: true,
  run: async (_options, ctx) => {
    const { subscriptions, cron, guildId } = requireAdmin(ctx);
    return subscriptionsView(await subscriptions.list(guildId), cron);
  },
});
