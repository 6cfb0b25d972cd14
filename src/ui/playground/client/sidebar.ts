/** The channel list: text channels and forums in order, each with its threads beneath, as Discord's sidebar. */
import type { APIChannel, APIThreadChannel, ChannelType } from 'discord-api-types/v10';

// The values typed as discord-api-types' enum members: the page bundles none of its runtime.
export const TEXT: ChannelType.GuildText = 0;
export const FORUM: ChannelType.GuildForum = 15;
const THREAD_TYPES = new Set<ChannelType>([10, 11, 12]);

export function isThread(channel: APIChannel): channel is APIThreadChannel {
  return THREAD_TYPES.has(channel.type);
}

export function renderSidebar(
  root: HTMLElement,
  channels: readonly APIChannel[],
  view: { openId: string; unread: ReadonlySet<string>; open(id: string): void },
): void {
  const item = (channel: APIChannel, thread: boolean): HTMLLIElement => {
    const li = document.createElement('li');
    li.className = thread ? 'thread' : 'channel';
    const link = document.createElement('a');
    link.className = 'channel-link';
    link.href = `#${channel.id}`;
    link.dataset.channelId = channel.id;
    link.textContent = `${thread ? '' : channel.type === FORUM ? '💬 ' : '# '}${'name' in channel ? (channel.name ?? '') : ''}`;
    if (channel.id === view.openId) link.setAttribute('aria-current', 'page');
    if (view.unread.has(channel.id)) li.classList.add('unread');
    link.addEventListener('click', (event) => {
      event.preventDefault();
      view.open(channel.id);
    });
    li.append(link);
    return li;
  };
  const items: HTMLLIElement[] = [];
  const byPosition = (a: APIChannel, b: APIChannel): number => ('position' in a && 'position' in b ? a.position - b.position : 0);
  for (const parent of channels.filter((c) => c.type === TEXT || c.type === FORUM).sort(byPosition)) {
    items.push(item(parent, false));
    // Newest threads last, as the list grows downwards.
    for (const thread of channels.filter((c) => isThread(c) && c.parent_id === parent.id)) items.push(item(thread, true));
  }
  root.replaceChildren(...items);
}
