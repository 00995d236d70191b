/** A member who can be mentioned. */
export interface Mentionable {
  readonly id: string;
  readonly displayName: string;
}

/** Names longest first, so that "@Ravi Kumar Singh" is not taken for "@Ravi Kumar". */
const longestFirst = (names: readonly string[]): string[] => [...new Set(names)].filter(Boolean).sort((a, b) => b.length - a.length);

/** The members a text mentions (`@` and their name), apart from the writer. */
export function mentionedIn(text: string, members: readonly Mentionable[], writer: string): string[] {
  return members.filter((member) => member.id !== writer && text.includes(`@${member.displayName}`)).map((member) => member.id);
}

/**
 * A message's text as nodes, with each `@name` of a member in a span (`mention--me` for the
 * reader's own name). Everything is text nodes and spans: nothing in a message becomes markup.
 */
export function markMentions(text: string, names: readonly string[], ownName?: string): Node[] {
  const nodes: Node[] = [];
  const candidates = longestFirst(names);
  let rest = text;
  while (rest.length > 0) {
    let at = -1;
    let found = '';
    for (const name of candidates) {
      const index = rest.indexOf(`@${name}`);
      if (index >= 0 && (at < 0 || index < at)) {
        at = index;
        found = name;
      }
    }
    if (at < 0) break;
    if (at > 0) nodes.push(document.createTextNode(rest.slice(0, at)));
    const mention = document.createElement('span');
    mention.className = `mention${found === ownName ? ' mention--me' : ''}`;
    mention.textContent = `@${found}`;
    nodes.push(mention);
    rest = rest.slice(at + found.length + 1);
  }
  if (rest.length > 0) nodes.push(document.createTextNode(rest));
  return nodes;
}

/**
 * Suggests members while an `@name` is typed in `textarea`: a list under it, filtered by what
 * follows the `@`; arrow keys move, Enter or Tab (or a click) puts `@Full Name ` in the text,
 * Escape closes. While the list is open, Enter chooses instead of sending.
 */
export function bindMentionPicker(textarea: HTMLTextAreaElement, members: () => readonly Mentionable[]): void {
  const list = document.createElement('ul');
  list.className = 'mention-picker';
  list.setAttribute('role', 'listbox');
  list.id = `${textarea.id || 'composer'}-mentions`;
  list.setAttribute('aria-label', 'Members to mention');
  list.hidden = true;
  textarea.insertAdjacentElement('afterend', list);
  textarea.setAttribute('aria-controls', list.id);
  let choices: Mentionable[] = [];
  let active = 0;
  let start = -1;

  const close = (): void => {
    list.hidden = true;
    choices = [];
    textarea.removeAttribute('aria-activedescendant');
  };
  const choose = (member: Mentionable): void => {
    const end = textarea.selectionStart;
    textarea.setRangeText(`@${member.displayName} `, start, end, 'end');
    close();
    textarea.focus();
  };
  const render = (): void => {
    list.replaceChildren(
      ...choices.map((member, index) => {
        const option = document.createElement('li');
        option.id = `${list.id}-${index}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', String(index === active));
        option.textContent = member.displayName;
        option.addEventListener('mousedown', (event) => {
          event.preventDefault(); // keep the focus in the text
          choose(member);
        });
        return option;
      }),
    );
    list.hidden = choices.length === 0;
    if (choices.length > 0) textarea.setAttribute('aria-activedescendant', `${list.id}-${active}`);
  };

  textarea.addEventListener('input', () => {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const typed = /(^|\s)@([^\s@]{0,30}(?: [^\s@]{0,30})?)$/.exec(before);
    if (!typed) return close();
    const words = (typed[2] ?? '').toLocaleLowerCase('en-IN');
    start = before.length - (typed[2] ?? '').length - 1;
    choices = members()
      .filter((member) => member.displayName.toLocaleLowerCase('en-IN').includes(words))
      .slice(0, 8);
    active = 0;
    render();
  });
  // Capture: before the composer's own Enter-sends handler.
  textarea.addEventListener(
    'keydown',
    (event) => {
      if (list.hidden || choices.length === 0) return;
      const moves: Record<string, () => void> = {
        ArrowDown: () => (active = (active + 1) % choices.length),
        ArrowUp: () => (active = (active - 1 + choices.length) % choices.length),
        Enter: () => choose(choices[active]!),
        Tab: () => choose(choices[active]!),
        Escape: close,
      };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      move();
      if (!list.hidden) render();
    },
    true,
  );
  textarea.addEventListener('blur', () => setTimeout(close, 150));
}
