/** A channel as the page knows it (GET /api/channels). */
export interface ChannelView {
  id: string;
  kind: string;
  name: string;
  group: string;
  lastSeq: number;
  readSeq: number;
  unread: number;
  /** Unread messages that mention the officer. */
  mentioned: number;
  members: { id: string; displayName: string; role: string }[];
  /** A discussion's page of what it discusses (a reference). */
  link?: string;
}

/** The channel list: a button per channel with its unread count, or a line saying there is none. */
export function renderChannelList(list: HTMLElement, channels: readonly ChannelView[], open: (channelId: string) => void): void {
  list.replaceChildren();
  if (channels.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = 'You have no channels.';
    list.append(empty);
  }
  for (const channel of channels) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset['channel'] = channel.id;
    const name = document.createElement('span');
    name.textContent = channel.name;
    const badge = document.createElement('span');
    badge.className = 'unread';
    badge.dataset['unread'] = channel.id;
    button.append(name, badge);
    button.addEventListener('click', () => open(channel.id));
    item.append(button);
    list.append(item);
    showUnread(list, channel.id, channel.unread, channel.mentioned);
  }
}

/** A channel's unread count on its button, with "@" when some of them mention the officer. */
export function showUnread(root: ParentNode, channelId: string, unread: number, mentioned: number): void {
  const badge = root.querySelector<HTMLElement>(`[data-unread="${channelId}"]`);
  if (!badge) return;
  badge.textContent = mentioned > 0 ? `@ ${unread}` : String(unread);
  badge.dataset['count'] = String(unread);
  badge.dataset['mentioned'] = String(mentioned);
  badge.classList.toggle('unread--mention', mentioned > 0);
  badge.setAttribute('aria-label', `${unread} unread${mentioned > 0 ? `, ${mentioned} mentioning you` : ''}`);
  badge.hidden = unread === 0 && mentioned === 0;
}

/** Adds one arrived message to a channel's badge. */
export function countArrival(root: ParentNode, channelId: string, mentionsMe: boolean): void {
  const badge = root.querySelector<HTMLElement>(`[data-unread="${channelId}"]`);
  if (!badge) return;
  showUnread(root, channelId, Number(badge.dataset['count'] ?? '0') + 1, Number(badge.dataset['mentioned'] ?? '0') + (mentionsMe ? 1 : 0));
}
