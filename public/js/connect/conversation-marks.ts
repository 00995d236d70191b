/** What a conversation shows besides its messages: where unread ones start, older pages, thread counts. */

/** A "New messages" line above the first unread message of others when a channel was opened, scrolled to. */
export function markUnread(list: HTMLElement, readSeq: number): void {
  const first = [...list.querySelectorAll<HTMLElement>('.message:not(.message--mine)')].find((item) => Number(item.dataset['seq']) > readSeq);
  if (!first) return;
  const line = document.createElement('p');
  line.className = 'unread-line';
  line.textContent = 'New messages';
  list.insertBefore(line, first);
  line.scrollIntoView({ block: 'start' });
}

/**
 * The "Load older messages" button at the top of a conversation while there are older ones:
 * `load` shows the page before a number and says whether there are more (undefined: the
 * conversation was left meanwhile); the scroll position is kept.
 */
export function showLoadOlder(list: HTMLElement, hasMore: boolean, load: (beforeSeq: number) => Promise<boolean | undefined>): void {
  list.querySelector('[data-load-older]')?.remove();
  if (!hasMore) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--secondary button--small load-older';
  button.dataset['loadOlder'] = '';
  button.textContent = 'Load older messages';
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = 'Loading…';
    const oldest = list.querySelector<HTMLElement>('.message[data-seq]');
    try {
      const height = list.scrollHeight;
      const more = await load(Number(oldest?.dataset['seq']));
      if (more === undefined) return;
      list.scrollTop += list.scrollHeight - height;
      showLoadOlder(list, more, load);
    } catch {
      button.disabled = false;
      button.textContent = 'Could not load older messages — try again';
    }
  });
  list.prepend(button);
}

/** A thread's replies and unread count, on its root's button. */
export function showReplies(root: ParentNode, seq: number, replies: number, unread: number): void {
  const button = root.querySelector<HTMLButtonElement>(`[data-replies="${seq}"]`);
  if (!button) return;
  button.dataset['count'] = String(replies);
  button.dataset['threadUnread'] = String(unread);
  button.textContent = `${replies} ${replies === 1 ? 'reply' : 'replies'}${unread > 0 ? ` · ${unread} new` : ''}`;
  button.classList.toggle('has-unread', unread > 0);
}

/** One more reply on a thread's button (unread unless it is the officer's, or the thread is open). */
export function bumpReplies(root: ParentNode, seq: number, countsAsUnread: boolean): void {
  const button = root.querySelector<HTMLButtonElement>(`[data-replies="${seq}"]`);
  if (!button) return;
  showReplies(root, seq, Number(button.dataset['count'] ?? '0') + 1, Number(button.dataset['threadUnread'] ?? '0') + (countsAsUnread ? 1 : 0));
}
