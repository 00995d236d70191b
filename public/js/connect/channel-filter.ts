import { holdsEveryWord } from '../lib/word-filter.js';

/**
 * The filter above the channel list (the CBI's desk has a channel with each of 51+ agencies):
 * shows only the channels whose name holds every word typed, and says so when none does.
 */
export function bindChannelFilter(input: HTMLInputElement, list: HTMLElement): void {
  const none = document.createElement('li');
  none.className = 'empty';
  none.textContent = 'No channel matches.';
  input.addEventListener('input', () => {
    let shown = 0;
    for (const item of list.querySelectorAll<HTMLElement>('li:has(button[data-channel])')) {
      item.hidden = !holdsEveryWord(item.textContent ?? '', input.value);
      if (!item.hidden) shown += 1;
    }
    if (shown === 0) list.append(none);
    else none.remove();
  });
}
