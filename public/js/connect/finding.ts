import type { PortalSocket } from '../lib/connection.js';
import type { ChannelView } from './channel-list.js';
import type { CryptoSession } from './crypto-session.js';
import { bindDirectDialog } from './direct-dialog.js';
import { openSealedText } from './message-item.js';
import { MessageSearch, type IndexedMessage } from './search-index.js';
import { bindSearchPanel } from './search-panel.js';
import { call } from './socket-call.js';

/** Pause between two pages of the background walk that indexes history for search. */
const INDEX_PAUSE_MS = 300;

/** What finding a conversation or a message needs of the Connect page. */
export interface FindingHost {
  readonly root: HTMLElement;
  readonly socket: PortalSocket;
  readonly session: CryptoSession;
  readonly channels: ReadonlyMap<string, ChannelView>;
  name(accountId: string): string;
  /** Opens a conversation (the channel list is loaded again first if it does not have it yet). */
  open(channelId: string): Promise<void>;
  reloadChannels(): Promise<void>;
  problem(message: string): void;
}

/**
 * Finding things in Connect: "New conversation" (a colleague to write to directly), and search in
 * the officer's messages from the index kept sealed on this device, completed in the background
 * from each channel's history; a result opens its message in its conversation.
 */
export class Finder {
  /** The search index, once opened from this device. */
  index: MessageSearch | undefined;

  constructor(private readonly host: FindingHost) {}

  bind(): void {
    const { root } = this.host;
    const dialog = root.querySelector<HTMLDialogElement>('[data-direct-dialog]');
    const start = root.querySelector<HTMLButtonElement>('[data-new-direct]');
    if (dialog && start) {
      bindDirectDialog(start, dialog, async (id) => {
        if (!this.host.channels.has(id)) await this.host.reloadChannels();
        await this.host.open(id);
      });
    }
    const input = root.querySelector<HTMLInputElement>('[data-message-search]');
    const results = root.querySelector<HTMLElement>('[data-search-results]');
    const channelList = root.querySelector<HTMLElement>('[data-channel-list]');
    if (!input || !results || !channelList) return;
    bindSearchPanel({
      input,
      results,
      channelList,
      search: () => this.index,
      channelName: (id) => this.host.channels.get(id)?.name,
      senderName: (id) => (id === this.host.session.accountId ? 'You' : this.host.name(id)),
      open: (found) => void this.reveal(found),
    });
  }

  /** Opens the index kept on this device, then completes it from each channel's history, a page at a time. */
  indexInBackground(): void {
    const { session, socket } = this.host;
    void MessageSearch.open(session.accountId).then(async (index) => {
      this.index = index;
      window.addEventListener('pagehide', () => void index.save());
      const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, INDEX_PAUSE_MS));
      for (const channel of [...this.host.channels.values()]) {
        await index
          .indexChannel(
            channel.id,
            async (beforeSeq) => {
              await pause();
              return call(socket, 'message:history', { channel: channel.id, ...(beforeSeq ? { beforeSeq } : {}) });
            },
            (message) => openSealedText(session, message.channel, message).catch(() => undefined),
          )
          .catch(() => undefined); // tried again on the next visit
      }
    });
  }

  /** Opens a found message in its conversation, loading older pages until it is there. */
  async reveal(found: IndexedMessage): Promise<void> {
    await this.host.open(found.channel);
    const list = this.host.root.querySelector<HTMLElement>('[data-messages]');
    if (!list) return;
    const selector = `.message[data-seq="${found.seq}"]`;
    for (let pages = 0; !list.querySelector(selector) && pages < 20; pages += 1) {
      const older = list.querySelector<HTMLButtonElement>('[data-load-older]');
      if (!older) break;
      older.click();
      // The button is replaced once the page is shown (or says it could not be loaded).
      for (let waited = 0; older.isConnected && older.disabled && waited < 100; waited += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      if (older.isConnected) break;
    }
    const item = list.querySelector<HTMLElement>(selector);
    if (!item) return this.host.problem('That message is in a thread or too far back to open here.');
    item.scrollIntoView({ block: 'center' });
    item.classList.add('message--found');
    setTimeout(() => item.classList.remove('message--found'), 3_000);
  }
}
