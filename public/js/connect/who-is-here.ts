/** The open conversation's members with whether each is online, and who is typing in it, as text. */

/** How long a "typing" signal lasts without another. */
const TYPING_MS = 4000;

export class WhoIsHere {
  readonly #presence = new Map<string, string>();
  readonly #typing = new Map<string, number>();

  constructor(
    /** The line of members, and the line that says who is typing. */
    private readonly lines: { readonly members: HTMLElement; readonly typing: HTMLElement },
    /** The officer on this page (always online here). */
    private readonly self: string,
    private readonly nameOf: (accountId: string) => string,
  ) {}

  /** An officer came online, went away or offline (one update, or everyone at once). */
  presence(updates: readonly { account: string; state: string }[], snapshot = false): void {
    if (snapshot) this.#presence.clear();
    for (const { account, state } of updates) this.#presence.set(account, state);
  }

  /** An officer started or stopped typing in the open conversation; the line clears itself once the signal is old. */
  typing(account: string, typing: boolean): void {
    if (typing) this.#typing.set(account, Date.now());
    else this.#typing.delete(account);
    this.showTyping();
    setTimeout(() => this.showTyping(), TYPING_MS);
  }

  showMembers(members: readonly { id: string; displayName: string }[]): void {
    this.lines.members.replaceChildren();
    for (const member of members) {
      const dot = document.createElement('span');
      const state = member.id === this.self ? 'online' : (this.#presence.get(member.id) ?? 'offline');
      dot.className = `presence presence--${state}`;
      dot.title = state;
      this.lines.members.append(dot, document.createTextNode(`${member.displayName}  `));
    }
  }

  showTyping(): void {
    const now = Date.now();
    const names = [...this.#typing.entries()].filter(([, at]) => now - at < TYPING_MS).map(([account]) => this.nameOf(account));
    this.lines.typing.textContent = names.length ? `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…` : '';
  }
}
