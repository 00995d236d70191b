import { formatDateTime } from '../../../server/shared/dates.js';
import type { IndexedMessage, MessageSearch } from './search-index.js';

/** Characters of a found message shown around the first word searched for. */
const SNIPPET = 120;

function snippetOf(text: string, query: string): string {
  const first = query.trim().split(/\s+/)[0]?.toLocaleLowerCase('en-IN') ?? '';
  const at = Math.max(0, text.toLocaleLowerCase('en-IN').indexOf(first));
  const start = Math.max(0, at - SNIPPET / 3);
  return `${start > 0 ? '…' : ''}${text.slice(start, start + SNIPPET)}${start + SNIPPET < text.length ? '…' : ''}`;
}

/**
 * The search box of the channel list: while words are typed, the list gives way to the officer's
 * messages that hold them (found in this browser's index), each with its channel, sender and
 * time; choosing one opens it in its conversation.
 */
export function bindSearchPanel(options: {
  input: HTMLInputElement;
  results: HTMLElement;
  channelList: HTMLElement;
  search: () => MessageSearch | undefined;
  channelName: (channel: string) => string | undefined;
  senderName: (account: string) => string;
  open: (found: IndexedMessage) => void;
}): void {
  const { input, results, channelList } = options;
  const render = (): void => {
    const query = input.value.trim();
    const searching = query.length > 0;
    results.hidden = !searching;
    channelList.hidden = searching;
    if (!searching) return;
    const index = options.search();
    const found = (index?.search(query) ?? []).filter((message) => options.channelName(message.channel) !== undefined);
    const status = document.createElement('li');
    status.className = 'muted small';
    status.setAttribute('role', 'status');
    status.textContent = !index
      ? 'Search is getting ready…'
      : found.length === 0
        ? `No message found among the ${index.size} read in this browser so far.`
        : `${found.length} found in this browser’s index of ${index.size} messages.`;
    results.replaceChildren(
      status,
      ...found.map((message) => {
        const item = document.createElement('li');
        const pick = document.createElement('button');
        pick.type = 'button';
        pick.className = 'search-result';
        pick.dataset['searchResult'] = message.id;
        const head = document.createElement('span');
        head.className = 'muted small';
        head.textContent = `${options.channelName(message.channel) ?? ''} · ${options.senderName(message.sender)} · ${formatDateTime(new Date(message.createdAt))}`;
        const words = document.createElement('span');
        words.textContent = snippetOf(message.text, query);
        pick.append(head, words);
        pick.addEventListener('click', () => options.open(message));
        item.append(pick);
        return item;
      }),
    );
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(render, 150);
  });
}
