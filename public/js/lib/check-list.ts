import { holdsEveryWord } from './word-filter.js';

/**
 * Tools above a long list of checkboxes (51 agencies, hundreds of units): a filter by name,
 * "Select all shown", "Clear", and how many are chosen. Disabled boxes (a unit that already has
 * the broadcast, or has no key yet) are never changed. Returns the tools, for the page to hide
 * along with the list.
 */
export function enhanceCheckList(list: HTMLElement, noun: string): HTMLElement {
  const tools = document.createElement('div');
  tools.className = 'check-tools';
  const filter = document.createElement('input');
  filter.type = 'search';
  filter.placeholder = `Find ${noun}`;
  filter.setAttribute('aria-label', `Find ${noun}`);
  const button = (text: string): HTMLButtonElement => Object.assign(document.createElement('button'), { type: 'button', className: 'button button--secondary button--small', textContent: text });
  const all = button('Select all shown');
  const none = button('Clear');
  const count = document.createElement('span');
  count.className = 'muted small';
  count.setAttribute('aria-live', 'polite');
  tools.append(filter, all, none, count);
  list.before(tools);

  const labels = (): HTMLLabelElement[] => [...list.querySelectorAll<HTMLLabelElement>('label')];
  const boxOf = (label: HTMLLabelElement): HTMLInputElement | null => label.querySelector<HTMLInputElement>('input[type="checkbox"]');
  const recount = (): void => {
    count.textContent = `${labels().filter((label) => boxOf(label)?.checked).length} chosen`;
  };
  filter.addEventListener('input', () => {
    for (const label of labels()) label.hidden = !holdsEveryWord(label.textContent ?? '', filter.value);
  });
  const set = (checked: boolean, onlyShown: boolean): void => {
    for (const label of labels()) {
      const box = boxOf(label);
      if (box && !box.disabled && (!onlyShown || !label.hidden)) box.checked = checked;
    }
    list.dispatchEvent(new Event('change', { bubbles: true }));
    recount();
  };
  all.addEventListener('click', () => set(true, true));
  none.addEventListener('click', () => set(false, false));
  list.addEventListener('change', recount);
  recount();
  return tools;
}
