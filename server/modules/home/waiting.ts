import type { Actor } from '../../access/actor.js';
import type { BroadcastService } from '../broadcast/broadcast.service.js';
import type { ConnectService } from '../connect/connect.service.js';
import type { NoticeService } from '../notices/notice.service.js';
import type { ReferenceService } from '../references/reference.service.js';

/** One thing waiting for the officer, with where to deal with it. */
export interface WaitingItem {
  /** Which navigation entry it belongs to (its link). */
  readonly href: string;
  readonly label: string;
  readonly count: number;
  /** Late, or urgent: shown as such. */
  readonly urgent: boolean;
}

/** What waits for an officer across the modules, and how many things in all. */
export interface Waiting {
  readonly total: number;
  readonly items: WaitingItem[];
}

/** What the home page asks of the modules. */
export interface WaitingSources {
  readonly connect: Pick<ConnectService, 'list'>;
  readonly broadcasts: Pick<BroadcastService, 'waiting'>;
  readonly references: Pick<ReferenceService, 'waiting'>;
  readonly notices: Pick<NoticeService, 'waiting'>;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** Everything that waits for `actor` now: unread messages, broadcasts to acknowledge, drafts to review, references and notice requests at their desk, what is late. */
export async function waitingFor(sources: WaitingSources, actor: Actor): Promise<Waiting> {
  const chats = actor.role === 'trainer' || actor.role === 'auditor' ? [] : await sources.connect.list(actor);
  const unread = chats.reduce((total, channel) => total + channel.unread, 0);
  const [broadcasts, references, notices] = await Promise.all([sources.broadcasts.waiting(actor), sources.references.waiting(actor), sources.notices.waiting(actor)]);
  const items: WaitingItem[] = [
    { href: '/connect', label: `${plural(unread, 'unread message', 'unread messages')} in Connect`, count: unread, urgent: false },
    { href: '/broadcasts', label: `${plural(broadcasts.toAcknowledge, 'broadcast', 'broadcasts')} to acknowledge`, count: broadcasts.toAcknowledge, urgent: false },
    { href: '/broadcasts?status=in-review', label: `${plural(broadcasts.toReview, 'draft', 'drafts')} waiting for your review`, count: broadcasts.toReview, urgent: false },
    { href: '/broadcasts?status=overdue', label: `${plural(broadcasts.overdue, 'broadcast', 'broadcasts')} past the deadline`, count: broadcasts.overdue, urgent: true },
    { href: '/references', label: `${plural(references.atDesk, 'reference', 'references')} at your desk`, count: references.atDesk, urgent: references.overdue > 0 },
    { href: '/notices', label: `${plural(notices.atDesk, 'notice request', 'notice requests')} at your desk`, count: notices.atDesk, urgent: notices.overdue > 0 },
  ].filter((item) => item.count > 0);
  return { total: items.reduce((total, item) => total + item.count, 0), items };
}
