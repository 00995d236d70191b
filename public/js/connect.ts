import type { WireMessage, WireRevision } from '../../server/modules/connect/connect.events.js';
import { ChannelCursors } from '../../server/shared/channel-cursors.js';
import { api } from './lib/api.js';
import { initLayout } from './lib/layout.js';
import type { PortalSocket } from './lib/connection.js';
import { bindComposer } from './connect/composer.js';
import { bindChannelFilter } from './connect/channel-filter.js';
import { separateDays } from './connect/day-separators.js';
import { messageItem, openSealedText } from './connect/message-item.js';
import { editInPlace, toggleRevisions } from './connect/message-actions.js';
import { bindMentionPicker, mentionedIn } from './connect/mentions.js';
import { showReceipt, type Receipt } from './connect/receipts.js';
import { countArrival, renderChannelList, showUnread, type ChannelView } from './connect/channel-list.js';
import { Finder } from './connect/finding.js';
import { bumpReplies, markUnread, showLoadOlder, showReplies } from './connect/conversation-marks.js';
import { call } from './connect/socket-call.js';
import { askPassword, openCryptoSession, type CryptoSession } from './connect/crypto-session.js';
import type { Outgoing } from './connect/outbox.js';
import { pendingItem, showOutgoingState } from './connect/pending-item.js';
import { Sender, type OutgoingState } from './connect/sender.js';
import { WhoIsHere } from './connect/who-is-here.js';

/** The conversation open in this tab, reopened after a reload. */
const LAST_CHANNEL_KEY = 'bharatpol.connect.channel';

const $ = <T extends HTMLElement>(selector: string, root: ParentNode = document): T => {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`missing ${selector}`);
  return element;
};

/**
 * The Connect page: channel list with unread badges, a conversation that decrypts and verifies
 * in the browser, threads, receipts, typing and presence, encrypted attachments with progress,
 * and a resync after every reconnect. Everything shown is set as text, never as markup.
 */
class ConnectPage {
  readonly #root = $<HTMLElement>('[data-connect]');
  readonly #channels = new Map<string, ChannelView>();
  /**
   * Per channel, the number up to which this page has every message (or knows it is a gap), and
   * what arrived past a hole: a hole is resynced from, after a short wait and after a reconnect.
   */
  readonly #cursors = new ChannelCursors<WireMessage>({
    resync: (channel, afterSeq) => call(this.socket, 'channel:sync', { channel, afterSeq }),
    deliver: (message) => this.#arrived(message),
  });
  readonly #receipts = new Map<string, Map<string, Receipt>>();
  /** Who of the open conversation is online, and typing. */
  readonly #here: WhoIsHere;
  readonly #shown = new Set<string>();
  /** Client ids of the officer's messages acknowledged or shown as stored: no pending item for them. */
  readonly #settled = new Set<string>();
  #current: string | undefined;
  #threadRoot: number | undefined;
  /** Seals, keeps until acknowledged, and resends the officer's messages (across reloads too). */
  readonly #sender: Sender;
  /** Messages as last edited or deleted, by id: one still being opened when that arrived is replaced once shown. */
  readonly #latest = new Map<string, WireMessage>();
  /** New conversations, and search in the officer's messages (its index opened once the page started). */
  readonly #finder: Finder;

  constructor(
    private readonly socket: PortalSocket,
    private readonly session: CryptoSession,
  ) {
    this.#sender = new Sender(socket, session, (message, state) => this.#outgoing(message, state));
    this.#here = new WhoIsHere({ members: $('[data-channel-members]', this.#root), typing: $('[data-typing]', this.#root) }, session.accountId, (id) => this.#name(id));
    this.#finder = new Finder({
      root: this.#root,
      socket,
      session,
      channels: this.#channels,
      name: (id) => this.#name(id),
      open: (id) => this.open(id),
      reloadChannels: () => this.#loadChannels(),
      problem: (message) => this.#problem(undefined, message),
    });
  }

  async start(): Promise<void> {
    // Read before the outbox is flushed (it may be, as soon as the socket connects).
    const waiting = this.#sender.outbox.list()[0]?.channel;
    this.#bindSocket();
    this.#bindComposer();
    this.#finder.bind();
    await this.#loadChannels();
    // The conversation with a message still waiting, else the one open before a reload, else the first.
    const last = sessionStorage.getItem(LAST_CHANNEL_KEY) ?? undefined;
    // A link to a conversation (a mention's notice) says which: /connect#channel=<id>.
    const linked = /^#channel=([a-f0-9]{24})$/.exec(window.location.hash)?.[1];
    const reopen = [linked, waiting, last].map((id) => (id ? this.#channels.get(id) : undefined)).find(Boolean);
    const first = reopen ?? [...this.#channels.values()][0];
    if (first && (waiting || linked || window.matchMedia('(min-width: 761px)').matches)) await this.open(first.id);
    this.#sender.flush();
    this.#finder.indexInBackground();
    document.addEventListener('visibilitychange', () =>
      this.socket.emit('presence:set', { state: document.visibilityState === 'visible' ? 'online' : 'away' }),
    );
  }

  async #loadChannels(): Promise<void> {
    const { channels } = await api<{ channels: ChannelView[] }>('GET', '/api/channels');
    const list = $<HTMLUListElement>('[data-channel-list]', this.#root);
    for (const channel of channels) {
      this.#channels.set(channel.id, channel);
      this.#cursors.follow(channel.id, channel.lastSeq);
    }
    renderChannelList(list, channels, (id) => void this.open(id));
    for (const button of list.querySelectorAll<HTMLButtonElement>('[data-channel]')) {
      button.setAttribute('aria-current', String(button.dataset['channel'] === this.#current));
    }
    const filter = this.#root.querySelector<HTMLInputElement>('[data-channel-filter]');
    if (filter && !filter.dataset['bound']) {
      filter.dataset['bound'] = 'true';
      bindChannelFilter(filter, list);
    }
    // A list loaded again (after a reconnect) keeps the filter typed.
    filter?.dispatchEvent(new Event('input'));
  }

  /** Opens a channel: history, receipts, members. */
  async open(channelId: string): Promise<void> {
    const channel = this.#channels.get(channelId);
    if (!channel) return;
    this.#root.dataset['view'] = 'channel';
    if (this.#current === channelId) return; // already shown (or being loaded): kept as it is
    this.#current = channelId;
    this.#root.dataset['openChannel'] = channelId;
    sessionStorage.setItem(LAST_CHANNEL_KEY, channelId);
    for (const button of this.#root.querySelectorAll<HTMLButtonElement>('[data-channel]')) {
      button.setAttribute('aria-current', String(button.dataset['channel'] === channelId));
    }
    $('[data-channel-name]', this.#root).textContent = channel.name;
    // A discussion links back to what it discusses (only a path of this portal).
    const linkLine = $('[data-channel-link-line]', this.#root);
    linkLine.hidden = !channel.link?.startsWith('/');
    if (channel.link?.startsWith('/')) $<HTMLAnchorElement>('[data-channel-link]', this.#root).href = channel.link;
    this.#renderMembers();
    $<HTMLFormElement>('[data-composer]', this.#root).hidden = false;
    const list = $('[data-messages]', this.#root);
    list.replaceChildren();
    this.#shown.clear();
    const [page, receipts] = await Promise.all([
      call(this.socket, 'message:history', { channel: channelId }),
      api<{ receipts: { account: string; deliveredSeq: number; readSeq: number }[] }>('GET', `/api/channels/${channelId}/receipts`),
    ]);
    this.#receipts.set(channelId, new Map(receipts.receipts.map((receipt) => [receipt.account, receipt])));
    // Jump to unread: older pages are fetched until the first unread message is among them (up to 10).
    const messages = [...page.messages];
    let hasMore = page.hasMore;
    for (let pages = 1; hasMore && channel.unread > 0 && (messages.at(-1)?.seq ?? 0) > channel.readSeq + 1 && pages < 10; pages += 1) {
      const older = await call(this.socket, 'message:history', { channel: channelId, beforeSeq: messages.at(-1)?.seq });
      messages.push(...older.messages);
      hasMore = older.hasMore;
    }
    if (messages.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = 'No messages yet. Messages here are end-to-end encrypted.';
      list.append(empty);
    }
    for (const message of messages.reverse()) await this.#show(message);
    for (const message of this.#sender.outbox.list(channelId)) if (message.threadRoot === undefined) await this.#showPending(message);
    this.#showLoadOlder(channelId, hasMore);
    if (channel.unread > 0) markUnread(list, channel.readSeq);
    this.#markRead(channelId);
    const threads = await call(this.socket, 'channel:threads', { channel: channelId });
    for (const thread of threads) showReplies(this.#root, thread.root, thread.replies, thread.unread);
  }

  /** The "Load older messages" button of the open conversation. */
  #showLoadOlder(channelId: string, hasMore: boolean): void {
    const list = $('[data-messages]', this.#root);
    showLoadOlder(list, hasMore, async (beforeSeq) => {
      const page = await call(this.socket, 'message:history', { channel: channelId, beforeSeq });
      if (this.#current !== channelId) return undefined;
      for (const message of page.messages) await this.#show(message, undefined, list.querySelector('.message[data-seq]') ?? undefined);
      return page.hasMore;
    });
  }

  #renderMembers(): void {
    const channel = this.#current ? this.#channels.get(this.#current) : undefined;
    this.#here.showMembers(channel?.members ?? []);
  }

  #name(accountId: string): string {
    for (const channel of this.#channels.values()) {
      const member = channel.members.find((candidate) => candidate.id === accountId);
      if (member) return member.displayName;
    }
    return 'Former member';
  }

  /**
   * Decrypts, verifies and shows a message in the conversation or the thread pane: at the end
   * (scrolled to), or before `before` (older history, scroll position kept by the caller).
   */
  async #show(message: WireMessage, target?: HTMLElement, before?: Element): Promise<void> {
    const inThread = target !== undefined;
    if (!inThread && (message.channel !== this.#current || message.threadRoot !== undefined || this.#shown.has(message.id))) {
      if (message.threadRoot !== undefined && message.channel === this.#current) bumpReplies(this.#root, message.threadRoot, message.sender !== this.session.accountId && this.#threadRoot !== message.threadRoot);
      return;
    }
    if (!inThread) this.#shown.add(message.id);
    const list = target ?? $('[data-messages]', this.#root);
    if (message.sender === this.session.accountId) {
      this.#settled.add(message.clientId);
      list.querySelector(`[data-pending="${CSS.escape(message.clientId)}"]`)?.remove();
    }
    list.querySelector('.empty')?.remove();
    const item = await this.#item(message, !inThread && message.threadRoot === undefined);
    if (before) {
      list.insertBefore(item, before);
    } else {
      list.append(item);
      list.scrollTop = list.scrollHeight;
    }
    if (!inThread) separateDays(list);
    // Edited or deleted while it was being opened: shown as it is now.
    const latest = this.#latest.get(message.id);
    if (latest && (latest.editedAt !== message.editedAt || latest.deleted !== message.deleted)) void this.#changed(latest);
    this.#updateReceipts();
  }

  /** A message's item, with what the officer may do with it. */
  #item(message: WireMessage, inConversation: boolean): Promise<HTMLElement> {
    const members = this.#channels.get(message.channel)?.members ?? [];
    return messageItem(this.session, message, {
      senderName: this.#name(message.sender),
      memberNames: members.map((member) => member.displayName),
      ownName: this.#name(this.session.accountId),
      onOpened: (text) =>
        this.#finder.index?.put({ id: message.id, channel: message.channel, seq: message.seq, sender: message.sender, createdAt: message.createdAt, text }),
      onEdit: (item, text) =>
        editInPlace(item, text, async (edited) => {
          await this.#sender.edit(message.channel, message.id, edited, mentionedIn(edited, members, this.session.accountId));
        }),
      onDelete: () => {
        if (!window.confirm('Delete this message for everyone in the conversation?')) return;
        call(this.socket, 'message:delete', { channel: message.channel, id: message.id }).catch((error: unknown) => this.#problem(error, 'The message was not deleted.'));
      },
      onHistory: (item) =>
        void toggleRevisions(
          item,
          () => call(this.socket, 'message:revisions', { channel: message.channel, id: message.id }),
          (revision: WireRevision) => openSealedText(this.session, message.channel, revision),
        ),
      onReceipt: () => this.#updateReceipts(),
      ...(inConversation ? { onReply: () => void this.#openThread(message) } : {}),
    });
  }

  /** A message as it is after its sender edited or deleted it, wherever it is shown. */
  async #changed(message: WireMessage): Promise<void> {
    this.#latest.set(message.id, message);
    if (message.deleted) this.#finder.index?.remove(message.id);
    for (const shown of this.#root.querySelectorAll<HTMLElement>(`.message[data-id="${CSS.escape(message.id)}"]`)) {
      const inConversation = shown.closest('[data-messages]') !== null && message.threadRoot === undefined;
      const replies = shown.querySelector('[data-replies]');
      const item = await this.#item(message, inConversation);
      if (replies?.getAttribute('data-count')) item.querySelector('[data-replies]')?.replaceWith(replies);
      shown.replaceWith(item);
    }
    this.#updateReceipts();
  }

  #problem(error: unknown, fallback: string): void {
    const problem = $('[data-composer-error]', this.#root);
    problem.textContent = error instanceof Error ? error.message : fallback;
    problem.hidden = false;
  }

  #updateReceipts(): void {
    if (!this.#current) return;
    const channel = this.#channels.get(this.#current);
    const receipts = this.#receipts.get(this.#current) ?? new Map<string, Receipt>();
    const others = (channel?.members ?? []).filter((member) => member.id !== this.session.accountId);
    for (const mark of this.#root.querySelectorAll<HTMLButtonElement>('button[data-receipt-for]')) showReceipt(mark, others, receipts);
  }

  #markRead(channelId: string): void {
    const seq = this.#cursors.cursor(channelId)?.complete ?? 0;
    const channel = this.#channels.get(channelId);
    if (channel && document.visibilityState === 'visible') {
      channel.readSeq = Math.max(channel.readSeq, seq);
      channel.unread = 0;
    }
    if (seq > 0 && document.visibilityState === 'visible') this.socket.emit('receipt:read', { channel: channelId, seq });
    if (document.visibilityState === 'visible') showUnread(this.#root, channelId, 0, 0);
  }

  async #openThread(root: WireMessage): Promise<void> {
    this.#threadRoot = root.seq;
    const replies = this.#root.querySelector<HTMLElement>(`[data-replies="${root.seq}"]`);
    if (replies?.dataset['count']) showReplies(this.#root, root.seq, Number(replies.dataset['count']), 0);
    const pane = $<HTMLElement>('[data-thread]', this.#root);
    pane.hidden = false;
    const list = $('[data-thread-messages]', pane);
    list.replaceChildren();
    await this.#show(root, list);
    const page = await call(this.socket, 'message:history', { channel: root.channel, threadRoot: root.seq });
    for (const reply of [...page.messages].reverse()) await this.#show(reply, list);
    const last = page.messages[0]?.seq;
    if (last) this.socket.emit('receipt:read', { channel: root.channel, seq: last, threadRoot: root.seq });
  }

  /** One's own message not yet acknowledged, at the end of its conversation, marked pending. */
  async #showPending(message: Outgoing): Promise<void> {
    if (message.channel !== this.#current || message.threadRoot !== undefined || this.#settled.has(message.clientId)) return;
    const list = $('[data-messages]', this.#root);
    if (list.querySelector(`[data-pending="${CSS.escape(message.clientId)}"]`)) return;
    const item = await pendingItem(this.session, message, () => this.#sender.discard(message.clientId));
    // Decrypting took a moment: the stored message may have been shown meanwhile.
    if (this.#settled.has(message.clientId) || message.channel !== this.#current) return;
    list.querySelector('.empty')?.remove();
    list.append(item);
    list.scrollTop = list.scrollHeight;
  }

  /** Where one of the officer's messages stands: shown on its pending item, if it has one. */
  #outgoing(message: Outgoing, state: OutgoingState): void {
    if (state.state === 'sent') this.#settled.add(message.clientId);
    const item = this.#root.querySelector<HTMLElement>(`[data-pending="${CSS.escape(message.clientId)}"]`);
    if (item) showOutgoingState(item, state);
    else if (state.state === 'sending') void this.#showPending(message);
    else if (state.state === 'failed') {
      const problem = $('[data-composer-error]', this.#root);
      problem.textContent = `A message was not sent: ${state.reason}`;
      problem.hidden = false;
    }
  }

  #bindComposer(): void {
    const form = $<HTMLFormElement>('[data-composer]', this.#root);
    const members = (): ChannelView['members'] => this.#channels.get(this.#current ?? '')?.members.filter((member) => member.id !== this.session.accountId) ?? [];
    bindComposer(form, { session: this.session, socket: this.socket, sender: this.#sender, channel: () => this.#current, members });
    const problem = $('[data-composer-error]', form);
    const threadForm = $<HTMLFormElement>('[data-thread-composer]', this.#root);
    bindMentionPicker($<HTMLTextAreaElement>('textarea', threadForm), members);
    threadForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const area = $<HTMLTextAreaElement>('textarea', threadForm);
      if (!area.value.trim() || !this.#threadRoot) return;
      try {
        const text = area.value.trim();
        await this.#sender.send(this.#current ?? '', text, { threadRoot: this.#threadRoot, mentions: mentionedIn(text, members(), this.session.accountId) });
        area.value = '';
      } catch (error) {
        problem.textContent = error instanceof Error ? error.message : 'The reply could not be sent.';
        problem.hidden = false;
      }
    });
    $('[data-close-thread]', this.#root).addEventListener('click', () => {
      $<HTMLElement>('[data-thread]', this.#root).hidden = true;
      this.#threadRoot = undefined;
    });
    $('[data-back]', this.#root).addEventListener('click', () => delete this.#root.dataset['view']);
  }

  #bindSocket(): void {
    this.socket.on('message:new', (message) => void this.#cursors.receive(message));
    this.socket.on('message:changed', (message) => void this.#changed(message));
    // A colleague opened a direct conversation with this officer.
    this.socket.on('channel:added', () => void this.#loadChannels());
    this.socket.on('receipt:update', (receipt) => {
      const map = this.#receipts.get(receipt.channel) ?? new Map<string, Receipt>();
      map.set(receipt.account, { deliveredSeq: receipt.deliveredSeq, readSeq: receipt.readSeq });
      this.#receipts.set(receipt.channel, map);
      if (receipt.channel === this.#current) this.#updateReceipts();
    });
    this.socket.on('typing:update', (update) => {
      if (update.channel === this.#current) this.#here.typing(update.account, update.typing);
    });
    this.socket.on('presence:update', (update) => {
      this.#here.presence([update]);
      this.#renderMembers();
    });
    this.socket.on('presence:snapshot', ({ presence }) => {
      this.#here.presence(presence, true);
      this.#renderMembers();
    });
    // After any reconnect: ask each channel for what this page missed, from its first hole.
    let connectedBefore = this.socket.connected;
    this.socket.on('connect', () => {
      if (!connectedBefore) {
        connectedBefore = true;
        return;
      }
      void this.#cursors.resyncAll();
    });
    // Messages sent through other processes while Redis was away did not reach this page live.
    this.socket.on('system:restored', () => void this.#cursors.resyncAll());
  }

  /**
   * A message not seen before, live or from a resync: delivered up to the channel's first hole,
   * shown in the open conversation (or thread), counted as unread elsewhere.
   */
  #arrived(message: WireMessage): void {
    const complete = this.#cursors.cursor(message.channel)?.complete ?? 0;
    if (complete > 0) this.socket.emit('receipt:delivered', { channel: message.channel, seq: complete });
    if (message.threadRoot !== undefined && message.threadRoot === this.#threadRoot && message.channel === this.#current) {
      void this.#show(message, $('[data-thread-messages]', this.#root));
    }
    if (message.channel === this.#current) {
      void this.#show(message).then(() => message.threadRoot === undefined && this.#markRead(message.channel));
      return;
    }
    if (message.sender !== this.session.accountId && message.threadRoot === undefined) {
      countArrival(this.#root, message.channel, message.mentions?.includes(this.session.accountId) ?? false);
    }
  }
}

/** Connect page entry point. */
export async function init(): Promise<void> {
  const root = document.querySelector<HTMLElement>('[data-connect]');
  const socket = initLayout();
  if (!root || !socket) return;
  const session = await openCryptoSession({
    accountId: root.dataset['accountId'] ?? '',
    username: root.dataset['username'] ?? '',
    askPassword,
  });
  await new ConnectPage(socket, session).start();
}

void init();
