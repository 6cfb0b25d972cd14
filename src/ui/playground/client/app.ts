/**
 * The playground page: a guild's channel list, the open channel's messages, and the composer,
 * kept current by the server's event stream. Messages are Discord's own objects, drawn by
 * message-view; what the member does goes to the server's API and comes back as events, so the
 * page shows only what the local Discord really holds.
 */
import { createComposer } from './composer.ts';
import { renderMessage } from './message-view.ts';
import { api, events } from './net.ts';
import { renderSidebar, isThread, FORUM, TEXT } from './sidebar.ts';
import type { APIChannel, APIMessage, APIUser, Choice, MessageContext, PlaygroundEvent, PlaygroundState } from './types.ts';

const $ = <T extends HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`playground page: ${selector} is missing from index.html`);
  return found;
};

const list = $('#messages');
const sidebar = $('#channel-list');
const title = $('#channel-title');
const toast = $('#toast');

let state: PlaygroundState;
const channels = new Map<string, APIChannel>();
const users = new Map<string, APIUser>();
const unread = new Set<string>();
/** The open channel's messages, oldest first. */
let shown: APIMessage[] = [];
let openId = '';
/** Each channel switch gets a number, so a slow answer for a channel left since is dropped. */
let opening = 0;
/**
 * Whether the view follows the newest message, as Discord's does until the reader scrolls up. It is
 * the reader's choice, so only their scrolling changes it: the list getting shorter (the command
 * form opening under it) or longer leaves it as it is, and the view is kept at the bottom.
 */
let pinned = true;

const context: MessageContext = {
  userName: (id) => {
    const user = users.get(id);
    return user ? (user.global_name ?? user.username) : undefined;
  },
  channelName: (id) => {
    const channel = channels.get(id);
    return channel && 'name' in channel ? (channel.name ?? undefined) : undefined;
  },
  threadOf: (messageId) => {
    const thread = channels.get(messageId);
    return thread && isThread(thread) ? { id: thread.id, name: thread.name ?? '', messageCount: thread.message_count ?? 0 } : undefined;
  },
  openChannel: (id) => void openChannel(id),
  clickButton: (messageId, customId) => void act(api('/api/components', { messageId, customId })),
  selectMenu: (messageId, customId, values) => void act(api('/api/components', { messageId, customId, values })),
};

const composer = createComposer($('#composer'), {
  commands: () => state.commands,
  channels: () => [...channels.values()].filter((c) => c.type === TEXT || c.type === FORUM).map((c) => ({ id: c.id, name: c.name ?? '', type: c.type })),
  autocomplete: (input) => api<Choice[]>('/api/autocomplete', { ...input, channelId: openId }),
  run: async (input) => {
    followMine();
    await api('/api/commands', { ...input, channelId: openId });
  },
  post: async (content) => {
    followMine();
    await api('/api/messages', { channelId: openId, content });
  },
});

function showToast(text: string): void {
  toast.textContent = text;
  toast.hidden = false;
  window.setTimeout(() => (toast.hidden = true), 6000);
}

async function act(done: Promise<unknown>): Promise<void> {
  try {
    await done;
  } catch (error) {
    showToast(error instanceof Error ? error.message : String(error));
  }
}

function learn(message: APIMessage): void {
  // A webhook's author is the webhook under the name each message gave: no user to name in mentions.
  if (message.webhook_id === undefined || message.interaction_metadata) users.set(message.author.id, message.author);
}

function drawSidebar(): void {
  renderSidebar(sidebar, [...channels.values()], { openId, unread, open: (id) => void openChannel(id) });
}

/**
 * Discord groups a message under the one before when the same author wrote it within minutes; a
 * webhook's messages only under the same name, since each may give its own.
 */
function grouped(message: APIMessage, before: APIMessage | undefined): boolean {
  if (!before || before.author.id !== message.author.id || message.interaction_metadata || before.interaction_metadata) return false;
  if (before.author.username !== message.author.username) return false;
  return Date.parse(message.timestamp) - Date.parse(before.timestamp) < 7 * 60_000;
}

function drawMessages(): void {
  const channel = channels.get(openId);
  const items: HTMLElement[] = shown.map((m, i) => renderMessage(m, context, { grouped: grouped(m, shown[i - 1]) }));
  if (channel?.type === FORUM) items.push(...forumPosts(channel));
  if (items.length === 0) items.push(emptyNote(channel));
  list.replaceChildren(...items);
  if (pinned) toBottom();
}

/** Redraws one message in place, or adds it at the end: a busy channel is not redrawn whole for each message. */
function drawOne(message: APIMessage): void {
  const at = shown.findIndex((m) => m.id === message.id);
  const old = list.querySelector(`[data-message-id="${message.id}"]`);
  if (!old && (at !== shown.length - 1 || !list.querySelector('[data-message-id]'))) return drawMessages();
  const element = renderMessage(message, context, { grouped: grouped(message, shown[at - 1]) });
  if (old) old.replaceWith(element);
  else list.append(element);
  if (pinned) toBottom();
}

/** Within this of the bottom, the reader is taken to be at it. */
const BOTTOM_SLACK_PX = 40;

function toBottom(): void {
  list.scrollTop = list.scrollHeight;
}

/**
 * The member sent something: Discord jumps to the bottom to show it and what answers it (a
 * command's reply, the bot's answer), whatever the reader had scrolled to.
 */
function followMine(): void {
  pinned = true;
  toBottom();
}

list.addEventListener('scroll', () => {
  pinned = list.scrollHeight - list.scrollTop - list.clientHeight < BOTTOM_SLACK_PX;
});
// The list's height changes without a scroll when the command form opens or closes under it, or the window is resized.
new ResizeObserver(() => {
  if (pinned) toBottom();
}).observe(list);

function emptyNote(channel: APIChannel | undefined): HTMLElement {
  const note = document.createElement('p');
  note.className = 'empty-channel';
  note.textContent =
    channel?.type === FORUM
      ? 'No posts yet. Subscribe this forum (/subscribe) and run /deliver: each article becomes a post.'
      : channel && isThread(channel)
        ? 'No comments in this thread yet. Write the first; start with @Paperboy to ask the bot about the article.'
        : 'Nothing here yet. Type / for the commands: /search, or /subscribe then /deliver to post articles here.';
  return note;
}

/** A forum shows its posts (threads), newest first, as Discord lists them. */
function forumPosts(forum: APIChannel): HTMLElement[] {
  const posts = [...channels.values()].filter((c) => isThread(c) && c.parent_id === forum.id).reverse();
  return posts.map((post) => {
    const card = document.createElement('button');
    card.type = 'button';
    card.className = 'forum-post';
    card.dataset.channelId = post.id;
    card.textContent = `${post.name ?? ''} — ${isThread(post) ? (post.message_count ?? 0) : 0} messages`;
    card.addEventListener('click', () => void openChannel(post.id));
    return card;
  });
}

/** The message with this id, drawn again (a thread's starter shows its count). */
function redraw(id: string): void {
  const message = shown.find((m) => m.id === id);
  if (message) drawOne(message);
}

async function openChannel(id: string): Promise<void> {
  const channel = channels.get(id);
  if (!channel) return;
  const ticket = ++opening;
  openId = id;
  unread.delete(id);
  if (location.hash !== `#${id}`) history.replaceState(null, '', `#${id}`);
  const parent = isThread(channel) && channel.parent_id ? channels.get(channel.parent_id) : undefined;
  const name = 'name' in channel ? (channel.name ?? '') : '';
  title.textContent = parent && 'name' in parent ? `# ${parent.name ?? ''} › ${name}` : `${channel.type === FORUM ? '💬' : '#'} ${name}`;
  document.title = `${name} · Paperboy playground`;
  composer.setChannelName(name);
  $('#composer').hidden = channel.type === FORUM;
  drawSidebar();
  // Events that arrive while the channel loads land in `shown`; they are newer than what loads.
  shown = [];
  const messages = await api<APIMessage[]>(`/api/channels/${id}/messages`);
  if (ticket !== opening) return;
  messages.forEach(learn);
  const live = new Map(shown.map((m) => [m.id, m]));
  shown = [...messages.map((m) => live.get(m.id) ?? m), ...shown.filter((m) => !messages.some((x) => x.id === m.id))];
  pinned = true;
  drawMessages();
  composer.focus();
}

function upsert(message: APIMessage): void {
  learn(message);
  if (message.channel_id !== openId) {
    unread.add(message.channel_id);
    drawSidebar();
    return;
  }
  const at = shown.findIndex((m) => m.id === message.id);
  if (at >= 0) shown[at] = message;
  else shown.push(message);
  drawOne(message);
}

function onEvent(event: PlaygroundEvent): void {
  switch (event.type) {
    case 'message':
      return upsert(event.message);
    case 'message-delete':
      shown = shown.filter((m) => m.id !== event.id);
      return event.channelId === openId ? drawMessages() : undefined;
    case 'channel':
      channels.set(event.channel.id, event.channel);
      drawSidebar();
      // A thread's count shows on its starter message, and a forum lists its posts.
      if (isThread(event.channel) && event.channel.parent_id === openId && channels.get(openId)?.type === FORUM) return drawMessages();
      return redraw(event.channel.id);
    case 'channel-delete':
      channels.delete(event.id);
      if (event.id === openId) return void openChannel(firstChannel());
      return drawSidebar();
  }
}

function firstChannel(): string {
  return [...channels.values()].find((c) => c.type === TEXT)?.id ?? '';
}

/** Loads the guild; after a reconnect the server may have restarted with a new local Discord. */
async function load(): Promise<void> {
  state = await api<PlaygroundState>('/api/state');
  channels.clear();
  for (const c of state.channels) channels.set(c.id, c);
  for (const u of Object.values(state.users)) users.set(u.id, u);
  $('#guild-name').textContent = state.guild.name;
  $('#me-name').textContent = state.me.global_name ?? state.me.username;
  const wanted = location.hash.slice(1);
  await openChannel(channels.has(wanted) ? wanted : firstChannel());
}

window.addEventListener('hashchange', () => {
  const id = location.hash.slice(1);
  if (id !== openId && channels.has(id)) void openChannel(id);
});

events(onEvent, {
  connected: (again) => {
    $('#connection').hidden = true;
    if (again) void load();
  },
  lost: () => ($('#connection').hidden = false),
});
await load();
