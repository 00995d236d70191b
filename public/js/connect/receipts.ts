/** Where one member is in a channel. */
export interface Receipt {
  deliveredSeq: number;
  readSeq: number;
}

/** A channel's other members, by id and name. */
export type Readers = readonly { id: string; displayName: string }[];

/** Who of `readers` has seen, received, or not yet received message `seq`. */
export function receiptsOf(seq: number, readers: Readers, receipts: ReadonlyMap<string, Receipt>): { seen: string[]; delivered: string[]; waiting: string[] } {
  const seen: string[] = [];
  const delivered: string[] = [];
  const waiting: string[] = [];
  for (const reader of readers) {
    const receipt = receipts.get(reader.id);
    if ((receipt?.readSeq ?? 0) >= seq) seen.push(reader.displayName);
    else if ((receipt?.deliveredSeq ?? 0) >= seq) delivered.push(reader.displayName);
    else waiting.push(reader.displayName);
  }
  return { seen, delivered, waiting };
}

/**
 * Shows the receipts of one of the officer's messages on its mark: ✓ sent, ✓✓ delivered, blue ✓✓
 * seen, with "seen by N of M" in a channel of several; a click lists who saw it, who has it and
 * who does not yet.
 */
export function showReceipt(mark: HTMLButtonElement, readers: Readers, receipts: ReadonlyMap<string, Receipt>): void {
  const seq = Number(mark.dataset['receiptFor']);
  const { seen, delivered, waiting } = receiptsOf(seq, readers, receipts);
  const total = readers.length;
  const got = seen.length + delivered.length;
  const allSeen = total > 0 && seen.length === total;
  const ticks = allSeen || got === total ? '✓✓' : '✓';
  const words =
    total <= 1
      ? allSeen ? 'Seen' : got === total && total > 0 ? 'Delivered' : 'Sent'
      : seen.length > 0 ? `Seen by ${seen.length} of ${total}` : got > 0 ? `Delivered to ${got} of ${total}` : 'Sent';
  mark.replaceChildren();
  const tick = document.createElement('span');
  tick.className = 'receipt__ticks';
  tick.setAttribute('aria-hidden', 'true');
  tick.textContent = ticks;
  mark.append(tick, ` ${words}`);
  mark.className = `receipt${allSeen ? ' receipt--read' : ''}`;
  mark.dataset['seen'] = String(seen.length);
  const list = whoList(mark);
  if (list && !list.hidden) fillWho(list, { seen, delivered, waiting });
}

/** The list of who saw a message, under it, if shown. */
function whoList(mark: HTMLElement): HTMLElement | null {
  return mark.closest('.message')?.querySelector<HTMLElement>('[data-receipt-who]') ?? null;
}

function fillWho(list: HTMLElement, who: { seen: string[]; delivered: string[]; waiting: string[] }): void {
  const line = (label: string, names: string[]): string => `${label}: ${names.length > 0 ? names.join(', ') : 'nobody'}`;
  list.replaceChildren(
    ...[line('Seen by', who.seen), line('Delivered to', who.delivered), line('Not yet delivered to', who.waiting)].map((text) => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }),
  );
}

/** The receipt mark of one's own message: a button that shows or hides who saw it. */
export function receiptMark(seq: number, details: () => void): HTMLButtonElement {
  const mark = document.createElement('button');
  mark.type = 'button';
  mark.className = 'receipt';
  mark.dataset['receiptFor'] = String(seq);
  mark.setAttribute('aria-expanded', 'false');
  mark.title = 'Who has seen it';
  mark.addEventListener('click', () => {
    const message = mark.closest('.message');
    let list = whoList(mark);
    if (!list && message) {
      list = document.createElement('ul');
      list.className = 'receipt__who';
      list.dataset['receiptWho'] = '';
      list.hidden = true;
      message.append(list);
    }
    if (!list) return;
    list.hidden = !list.hidden;
    mark.setAttribute('aria-expanded', String(!list.hidden));
    details();
  });
  return mark;
}
