/**
 * One message as Discord's message list draws it: avatar and author line (left out when grouped
 * under the same author's previous message), reply preview or command header above, then the
 * text, embeds, buttons and menus, and the thread started from it. Built with the DOM; the only
 * HTML parsed is renderMarkdown's, which escapes all source text.
 */
import { renderMarkdown } from './markdown.ts';
import type { APIMessage, APIUser, MessageContext } from './types.ts';

type Embed = APIMessage['embeds'][number];
type TopLevel = NonNullable<APIMessage['components']>[number];
type Row = Extract<TopLevel, { type: 1 }>;
type RowItem = Row['components'][number];
type Button = Extract<RowItem, { type: 2 }>;

// Discord's numbers, typed as discord-api-types' enum members: the page bundles none of its runtime.
const ACTION_ROW: Row['type'] = 1;
const BUTTON: Button['type'] = 2;
const STRING_SELECT: Extract<RowItem, { type: 3 }>['type'] = 3;
const LINK_BUTTON: Extract<Button, { style: 5 }>['style'] = 5;
const PREMIUM_BUTTON: Extract<Button, { style: 6 }>['style'] = 6;
const THREAD_CREATED: Extract<APIMessage['type'], 18> = 18;
const COMPONENT_INTERACTION: Extract<NonNullable<APIMessage['interaction_metadata']>['type'], 3> = 3;
const EPHEMERAL = 64;
const LOADING = 128;
/** Default, Reply, ChatInputCommand and ContextMenuCommand messages are drawn in full; the rest are one line. */
const FULL_TYPES = new Set<number>([0, 19, 20, 23]);
const BUTTON_STYLES: Record<number, string> = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link' };
const AVATAR_COLORS = ['#5865f2', '#757e8a', '#3ba55c', '#faa61a', '#ed4245', '#eb459f'];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function markdown(className: string, source: string, ctx: MessageContext, options?: { embed?: boolean; inline?: boolean }): HTMLDivElement {
  const box = el('div', `${className} md`);
  box.innerHTML = renderMarkdown(source, ctx, options);
  return box;
}

const displayName = (user: APIUser): string => user.global_name ?? user.username;
const isHttp = (url: string | undefined): url is string => url !== undefined && /^https?:\/\//i.test(url);

function link(className: string, url: string, text: string): HTMLAnchorElement {
  const a = el('a', className, text);
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

/** "Today at 9:41 AM", "Yesterday at …", or the date, as Discord labels a message's time; `clockOnly` for the gutter. */
function timeElement(iso: string, className: string, clockOnly = false): HTMLTimeElement {
  const time = el('time', className);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return time;
  time.dateTime = date.toISOString();
  time.title = date.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' });
  const clock = date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  const days = Math.round((new Date().setHours(0, 0, 0, 0) - new Date(iso).setHours(0, 0, 0, 0)) / 86_400_000);
  time.textContent = clockOnly ? clock : days === 0 ? `Today at ${clock}` : days === 1 ? `Yesterday at ${clock}` : `${date.toLocaleDateString()} ${clock}`;
  return time;
}

function avatar(user: APIUser): HTMLElement {
  const circle = el('div', 'avatar', displayName(user).slice(0, 1).toUpperCase());
  // Discord's default avatars come in a few colours, picked from the user id.
  const sum = [...user.id].reduce((n, c) => n + c.charCodeAt(0), 0);
  circle.style.backgroundColor = AVATAR_COLORS[sum % AVATAR_COLORS.length] ?? '#5865f2';
  circle.setAttribute('aria-hidden', 'true');
  return circle;
}

/** The line above a reply: who it answers and the start of what they said; a click shows that message. */
function replyPreview(ref: APIMessage | null, ctx: MessageContext): HTMLElement {
  const box = el('div', 'reply-preview');
  if (!ref) {
    box.append(el('span', 'reply-missing', 'Original message was deleted'));
    return box;
  }
  box.append(el('span', 'reply-author', `@${displayName(ref.author)}`));
  const firstLine = ref.content.split('\n', 1)[0] ?? '';
  box.append(firstLine ? markdown('reply-content', firstLine, ctx, { inline: true }) : el('span', 'reply-content reply-attachment', 'Click to see attachment'));
  box.addEventListener('click', () => document.querySelector(`[data-message-id="${CSS.escape(ref.id)}"]`)?.scrollIntoView({ block: 'center' }));
  return box;
}

/** Discord's line above a command's answer: "<user> used /command". */
function interactionHeader(message: APIMessage): HTMLElement | null {
  const meta = message.interaction_metadata;
  if (!meta) return null;
  const box = el('div', 'interaction-header');
  const named = 'name' in meta && typeof meta.name === 'string' ? meta.name : message.interaction?.name;
  box.append(el('span', 'interaction-user', displayName(meta.user)), ' used ');
  box.append(named ? el('span', 'command-name', `/${named}`) : meta.type === COMPONENT_INTERACTION ? 'a button or menu' : 'a command');
  return box;
}

/** Inline fields side by side, three to a row (two beside a thumbnail), on Discord's 12-column grid. */
function fieldColumns(fields: readonly { inline?: boolean }[], perRow: number): string[] {
  const columns: string[] = [];
  for (let i = 0; i < fields.length;) {
    let n = 0;
    while (n < perRow && fields[i + n]?.inline) n++;
    if (n === 0) n = 1;
    const width = fields[i]?.inline ? 12 / n : 12;
    for (let k = 0; k < n; k++) columns.push(`${1 + k * width} / ${1 + (k + 1) * width}`);
    i += n;
  }
  return columns;
}

function renderEmbed(embed: Embed, ctx: MessageContext): HTMLElement {
  const box = el('div', 'embed');
  const color = typeof embed.color === 'number' ? `#${(embed.color & 0xffffff).toString(16).padStart(6, '0')}` : '#4e5058';
  box.style.borderLeftColor = color;
  const body = el('div', 'embed-body');
  if (embed.provider?.name) body.append(el('div', 'embed-provider', embed.provider.name));
  if (embed.author?.name) {
    const author = el('div', 'embed-author');
    author.append(isHttp(embed.author.url) ? link('', embed.author.url, embed.author.name) : embed.author.name);
    body.append(author);
  }
  if (embed.title) {
    // Discord draws inline marks in a title (the bot escapes titles); the title itself is the link.
    const title = markdown('embed-title', embed.title, ctx, { inline: true });
    if (isHttp(embed.url)) {
      const a = link('', embed.url, '');
      a.append(...title.childNodes);
      title.append(a);
    }
    body.append(title);
  }
  if (embed.description) body.append(markdown('embed-description', embed.description, ctx));
  const thumbnail = isHttp(embed.thumbnail?.url) ? embed.thumbnail.url : undefined;
  const fields = embed.fields ?? [];
  if (fields.length > 0) {
    const grid = el('div', 'embed-fields');
    const columns = fieldColumns(fields, thumbnail ? 2 : 3);
    fields.forEach((field, i) => {
      const cell = el('div', `embed-field${field.inline ? ' inline' : ''}`);
      cell.style.gridColumn = columns[i] ?? '1 / 13';
      cell.append(markdown('embed-field-name', field.name, ctx, { inline: true }), markdown('embed-field-value', field.value, ctx, { embed: true }));
      grid.append(cell);
    });
    body.append(grid);
  }
  if (isHttp(embed.image?.url)) body.append(image('embed-image', embed.image.url));
  if (embed.footer?.text || embed.timestamp) {
    // Footers are plain text on Discord: no markdown.
    const footer = el('div', 'embed-footer');
    if (embed.footer?.text) footer.append(el('span', 'embed-footer-text', embed.footer.text));
    if (embed.footer?.text && embed.timestamp) footer.append(el('span', 'embed-footer-separator', ' • '));
    if (embed.timestamp) footer.append(timeElement(embed.timestamp, 'embed-timestamp'));
    body.append(footer);
  }
  box.append(body);
  if (thumbnail) box.append(image('embed-thumbnail', thumbnail));
  return box;
}

function image(className: string, url: string): HTMLImageElement {
  const img = el('img', className);
  img.src = url;
  img.alt = '';
  img.loading = 'lazy';
  img.referrerPolicy = 'no-referrer';
  return img;
}

const emojiText = (emoji: { id?: string; name?: string } | undefined): string => (emoji?.name ? (emoji.id ? `:${emoji.name}:` : emoji.name) : '');

function renderRowItem(item: RowItem, message: APIMessage, ctx: MessageContext): HTMLElement | null {
  if (item.type === BUTTON) {
    if (item.style === PREMIUM_BUTTON) return null; // premium (SKU) buttons: nothing to buy here
    const label = [emojiText(item.emoji), item.label ?? ''].filter(Boolean).join(' ');
    const className = `button ${BUTTON_STYLES[item.style] ?? 'secondary'}`;
    if (item.style === LINK_BUTTON) {
      if (!isHttp(item.url)) return null;
      const a = link(className, item.url, `${label} ↗`);
      if (item.disabled) a.setAttribute('aria-disabled', 'true');
      return a;
    }
    const button = el('button', className, label);
    button.type = 'button';
    button.dataset.customId = item.custom_id;
    button.disabled = item.disabled ?? false;
    button.addEventListener('click', () => ctx.clickButton(message.id, item.custom_id));
    return button;
  }
  const select = el('select', 'select-menu');
  select.dataset.customId = item.custom_id;
  select.disabled = item.disabled ?? false;
  const placeholder = el('option', 'select-placeholder', item.placeholder ?? 'Make a selection');
  placeholder.value = '';
  placeholder.disabled = true;
  select.append(placeholder);
  if (item.type !== STRING_SELECT) {
    // User, role, mentionable and channel menus list the guild; the playground draws them but cannot fill them.
    select.disabled = true;
    placeholder.selected = true;
    return select;
  }
  select.multiple = (item.max_values ?? 1) > 1;
  let chosen = false;
  for (const option of item.options) {
    const node = el('option', '', [emojiText(option.emoji), option.label].filter(Boolean).join(' '));
    node.value = option.value;
    if (option.description) node.title = option.description;
    node.selected = option.default ?? false;
    chosen ||= node.selected;
    select.append(node);
  }
  placeholder.selected = !chosen && !select.multiple;
  select.addEventListener('change', () => {
    const values = [...select.selectedOptions].map((o) => o.value).filter((v) => v !== '');
    if (values.length > 0) ctx.selectMenu(message.id, item.custom_id, values);
  });
  return select;
}

function renderComponents(components: readonly TopLevel[], message: APIMessage, ctx: MessageContext): HTMLElement | null {
  const rows = components.filter((c) => c.type === ACTION_ROW);
  if (rows.length === 0) return null;
  const box = el('div', 'components');
  for (const row of rows) {
    const line = el('div', 'action-row');
    for (const item of row.components) {
      const node = renderRowItem(item, message, ctx);
      if (node) line.append(node);
    }
    box.append(line);
  }
  return box;
}

/**
 * The reactions under a message, as Discord draws them: each emoji with its count. The page's member
 * cannot react here, so none is drawn as theirs; the local Discord's `me` is the bot's, said in the tooltip.
 */
/** A message's files as Discord lists them: each a link to its URL, with its size. */
function renderAttachments(attachments: APIMessage['attachments']): HTMLElement | null {
  const links = attachments.filter((a) => isHttp(a.url));
  if (links.length === 0) return null;
  const box = el('div', 'attachments');
  for (const a of links) {
    const item = el('div', 'attachment');
    const size = a.size >= 1024 * 1024 ? `${(a.size / 1024 / 1024).toFixed(1)} MB` : a.size >= 1024 ? `${(a.size / 1024).toFixed(1)} KB` : `${a.size} bytes`;
    const anchor = link('attachment-name', a.url, a.filename);
    anchor.download = a.filename;
    item.append(el('span', 'attachment-icon', '📄'), anchor, el('span', 'attachment-size', size));
    box.append(item);
  }
  return box;
}

function renderReactions(reactions: NonNullable<APIMessage['reactions']>): HTMLElement | null {
  if (reactions.length === 0) return null;
  const box = el('div', 'reactions');
  for (const reaction of reactions) {
    const emoji = emojiText({ id: reaction.emoji.id ?? undefined, name: reaction.emoji.name ?? undefined }) || '?';
    const pill = el('span', 'reaction');
    pill.dataset.emoji = emoji;
    pill.append(el('span', 'reaction-emoji', emoji), el('span', 'reaction-count', String(reaction.count)));
    const others = reaction.count - (reaction.me ? 1 : 0);
    const who = [reaction.me ? 'the app' : '', others > 0 ? `${others} ${others === 1 ? 'other' : 'others'}` : ''].filter(Boolean).join(' and ');
    pill.title = `${who} reacted with ${emoji}`;
    pill.setAttribute('aria-label', `${emoji}: ${reaction.count} reaction${reaction.count === 1 ? '' : 's'}, ${pill.title}`);
    box.append(pill);
  }
  return box;
}

/** Thread creations, pins, joins and the like: one line, as Discord draws them. */
function systemLine(message: APIMessage, ctx: MessageContext, article: HTMLElement): HTMLElement {
  article.classList.add('system');
  const line = el('div', 'system-line');
  line.append(el('span', 'system-icon', '→'), el('span', 'author', displayName(message.author)));
  const threadId = message.message_reference?.channel_id;
  if (message.type === THREAD_CREATED) {
    line.append(' started a thread: ');
    const name = el('button', 'thread-name', message.content || ctx.channelName(threadId ?? '') || 'a thread');
    name.type = 'button';
    if (threadId) name.addEventListener('click', () => ctx.openChannel(threadId));
    line.append(name);
  } else {
    const texts: Record<number, string> = {
      6: ' pinned a message to this channel.',
      7: ' joined the server.',
      4: ` changed the channel name: ${message.content}`,
    };
    line.append(texts[message.type] ?? (message.content ? `: ${message.content}` : ` (system message, type ${message.type})`));
  }
  line.append(' ', timeElement(message.timestamp, 'timestamp'));
  article.append(line);
  return article;
}

export function renderMessage(message: APIMessage, ctx: MessageContext, options: { grouped?: boolean } = {}): HTMLElement {
  const article = el('article', 'message');
  article.dataset.messageId = message.id;
  if (!FULL_TYPES.has(message.type)) return systemLine(message, ctx, article);
  const flags = message.flags ?? 0;
  const reply = message.referenced_message !== undefined ? replyPreview(message.referenced_message, ctx) : null;
  const header = interactionHeader(message);
  // Discord never groups a reply or a command's answer under the message before it.
  const grouped = (options.grouped ?? false) && !reply && !header;
  article.classList.toggle('grouped', grouped);
  article.classList.toggle('ephemeral', (flags & EPHEMERAL) !== 0);
  if (reply) article.append(reply);
  if (header) article.append(header);
  article.append(grouped ? timeElement(message.timestamp, 'gutter-time', true) : avatar(message.author));

  const body = el('div', 'message-body');
  if (!grouped) {
    const line = el('div', 'author-line');
    const author = el('span', 'author', displayName(message.author));
    // A webhook message shows the name it was sent under, as Discord shows it; the tooltip says how it came.
    if (message.webhook_id !== undefined && !message.interaction_metadata) {
      author.title = `${displayName(message.author)}, sent through a webhook`;
      article.dataset.webhook = message.webhook_id;
    }
    line.append(author);
    if (message.author.bot) line.append(el('span', 'bot-tag', 'APP'));
    line.append(timeElement(message.timestamp, 'timestamp'));
    body.append(line);
  }
  if (flags & LOADING) body.append(el('div', 'loading', `${displayName(message.author)} is thinking…`));
  const edited = message.edited_timestamp ? el('span', 'edited', '(edited)') : null;
  if (edited && message.edited_timestamp) edited.title = new Date(message.edited_timestamp).toLocaleString();
  if (message.content) {
    const content = markdown('content', message.content, ctx);
    if (edited) content.append(' ', edited);
    body.append(content);
  } else if (edited) body.append(edited);
  if (message.embeds.length > 0) {
    const embeds = el('div', 'embeds');
    embeds.append(...message.embeds.map((embed) => renderEmbed(embed, ctx)));
    body.append(embeds);
  }
  const files = renderAttachments(message.attachments);
  if (files) body.append(files);
  const components = renderComponents(message.components ?? [], message, ctx);
  if (components) body.append(components);
  const reactions = renderReactions(message.reactions ?? []);
  if (reactions) body.append(reactions);
  const thread = ctx.threadOf(message.id);
  if (thread) {
    const open = el('button', 'thread-link', `${thread.name} — ${thread.messageCount} message${thread.messageCount === 1 ? '' : 's'}`);
    open.type = 'button';
    open.addEventListener('click', () => ctx.openChannel(thread.id));
    body.append(open);
  }
  if (flags & EPHEMERAL) {
    const note = el('div', 'ephemeral-note', 'Only you can see this • ');
    const dismiss = el('button', 'dismiss', 'Dismiss message');
    dismiss.type = 'button';
    // As in Discord, dismissing only hides it here; it comes back if the page draws the channel again.
    dismiss.addEventListener('click', () => article.remove());
    note.append(dismiss);
    body.append(note);
  }
  article.append(body);
  // Spoilers stay hidden until clicked, then stay shown.
  article.addEventListener('click', (event) => {
    if (event.target instanceof Element) event.target.closest('.spoiler')?.classList.add('revealed');
  });
  return article;
}
