/** The two lists: an agency's or unit's inbox, and the desk's list of every broadcast. */
import mongoose from 'mongoose';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { deliveryStateOf, isOverdue } from '../../workflow/delivery-fields.js';
import { Broadcast, BroadcastDelivery, type BroadcastDeliveryDocument, type BroadcastDocument } from './broadcast.model.js';
import { deliveryCounts, deliveryStateFilter, metadataFilter, officeScopeOf, trusted, type RecipientState } from './broadcast.queries.js';
import { DESK_STATES, RECIPIENT_STATES, type ListQuery } from './broadcast.schema.js';
import { iso, metadataOf, noticeOf, type InboxEntry, type OutboxEntry } from './broadcast.view.js';

export const PAGE_SIZE = 25;

/** Inbox (ILOs, UOs: what reached their agency or unit) with filters and search, newest first. */
export async function inbox(context: AuthorizeContext, query: ListQuery): Promise<{ items: InboxEntry[]; next?: string }> {
  const { actor } = context;
  const status = (RECIPIENT_STATES as readonly string[]).includes(query.status ?? '') ? (query.status as RecipientState) : undefined;
  const scope = officeScopeOf(actor) ?? { _id: '-' };
  const filter: Record<string, unknown> = { ...scope, ...metadataFilter(query), ...deliveryStateFilter(status) };
  if (query.cursor) {
    const [time, id] = query.cursor.split('_') as [string, string];
    const at = new Date(Number(time));
    filter['$or'] = [{ sentAt: trusted({ $lt: at }) }, { sentAt: at, _id: trusted({ $lt: id }) }];
  }
  const rows = await BroadcastDelivery.find(filter).sort({ sentAt: -1, _id: -1 }).limit(PAGE_SIZE + 1).lean<BroadcastDeliveryDocument[]>();
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  return {
    items: page.map((delivery) => ({ ...noticeOf(delivery), state: deliveryStateOf(delivery), overdue: isOverdue(delivery), readAt: iso(delivery.readAt) })),
    ...(rows.length > PAGE_SIZE && last ? { next: `${last.sentAt.getTime()}_${last._id}` } : {}),
  };
}

/** The desk's list: every broadcast, drafts included, with filters, newest first. */
export async function outbox(context: AuthorizeContext, query: ListQuery): Promise<{ items: OutboxEntry[]; next?: string }> {
  await authorize(context, 'broadcast:compose');
  const filter: Record<string, unknown> = metadataFilter(query, 'createdAt');
  if (query.status === 'overdue') Object.assign(filter, { status: 'sent', deadline: trusted({ $lt: now() }) });
  else if (query.status && (DESK_STATES as readonly string[]).includes(query.status)) filter['status'] = query.status;
  if (query.cursor && /^[a-f0-9]{24}$/.test(query.cursor.split('_')[1] ?? '')) filter['_id'] = trusted({ $lt: new mongoose.Types.ObjectId(query.cursor.split('_')[1]) });
  const rows = await Broadcast.find(filter).sort({ _id: -1 }).limit(PAGE_SIZE + 1).lean<BroadcastDocument[]>();
  const page = rows.slice(0, PAGE_SIZE);
  const counts = await deliveryCounts(page.filter((broadcast) => broadcast.sentAt).map((broadcast) => broadcast._id));
  const last = page.at(-1);
  return {
    items: page.map((broadcast) => ({
      id: String(broadcast._id),
      ...metadataOf(broadcast),
      status: broadcast.status,
      createdAt: broadcast.createdAt.toISOString(),
      sentAt: iso(broadcast.sentAt),
      deadline: iso(broadcast.deadline),
      authorId: String(broadcast.author),
      counts: counts.get(String(broadcast._id)) ?? { agencies: 0, acknowledged: 0, responded: 0, overdue: 0 },
    })),
    ...(rows.length > PAGE_SIZE && last ? { next: `0_${String(last._id)}` } : {}),
  };
}
