/**
 * The renderer's pings and webhook bodies: a post's mention rules' ids go first in its content and
 * are the only ids allowed_mentions lets through; every other message pings no one; the digest a
 * post is stored with ignores pings; a webhook body carries the name and an http(s) avatar only.
 */
import { describe, expect, it } from 'vitest';
import { messageDigest, renderMessage, renderWebhookMessage } from '../src/ui/discord/render.ts';
import type { MessageView } from '../src/core/view.ts';

const ROLE = '112233445566778899';
const USER = '998877665544332211';
const post: MessageView = { content: 'Markets <@&123456789012345678> @everyone', embeds: [{ title: 'Harbour opens', footer: 'Paperboy · article a1' }] };

describe('GIVEN a post that pings a role and a user', () => {
  it('THEN the pings open its content and allowed_mentions names exactly them, parsing nothing else', () => {
    const body = renderMessage({ ...post, ping: { roles: [ROLE], users: [USER] } });
    expect(body.content).toBe(`<@&${ROLE}> <@${USER}>\nMarkets <@&123456789012345678> @everyone`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [ROLE], users: [USER] });
  });

  it('THEN a post without content gets the pings alone, and ids that are no snowflakes are dropped', () => {
    const body = renderMessage({ embeds: post.embeds ?? [], ping: { roles: [ROLE, ROLE, '@everyone'], users: ['<@1>'] } });
    expect(body.content).toBe(`<@&${ROLE}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [ROLE], users: [] });
  });

  it('THEN its text cut to 2,000 characters keeps the pings', () => {
    const body = renderMessage({ content: 'word '.repeat(600), ping: { roles: [ROLE], users: [] } });
    expect(body.content?.startsWith(`<@&${ROLE}>\nword`)).toBe(true);
    expect(body.content?.length).toBeLessThanOrEqual(2000);
  });

  it('THEN its digest is the same with or without pings, so a change of who is pinged edits nothing', () => {
    expect(messageDigest({ ...post, ping: { roles: [ROLE], users: [USER] } })).toBe(messageDigest(post));
    expect(messageDigest({ ...post, content: 'Other' })).not.toBe(messageDigest(post));
  });
});

describe('GIVEN a message without pings', () => {
  it('THEN it pings no one, whatever its text holds, and so does an empty ping', () => {
    expect(renderMessage(post).allowed_mentions).toEqual({ parse: [] });
    expect(renderMessage({ ...post, ping: { roles: [], users: [] } })).toEqual(renderMessage(post));
  });
});

describe('GIVEN a message sent through a webhook', () => {
  it('THEN it carries the name, cut to 80 characters, and the avatar only when it is an http(s) URL', () => {
    const body = renderWebhookMessage(post, 'Harbour Desk', 'https://example.org/desk.png');
    expect(body).toMatchObject({ username: 'Harbour Desk', avatar_url: 'https://example.org/desk.png', allowed_mentions: { parse: [] } });
    const long = renderWebhookMessage(post, 'N'.repeat(120), 'javascript:alert(1)');
    expect(long.username?.length).toBeLessThanOrEqual(80);
    expect(long).not.toHaveProperty('avatar_url');
  });
});
