/** An addressee receiving a broadcast: marked delivered when its list shows it, read when opened. */
import type { Actor } from '../../access/actor.js';
import type { BroadcastResource } from './broadcast.policy.js';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { BroadcastDelivery, type BroadcastDeliveryDocument } from './broadcast.model.js';
import { trusted } from './broadcast.queries.js';
import { presentBroadcast, type BroadcastView } from './broadcast.view.js';
import { findBroadcast, myDeliveryId, resourceOf, type BroadcastDesk } from './desk.js';
import { trackingRows } from './track.js';

/** Marks broadcasts as delivered to the caller's agency or unit (their page has them). */
export async function markDelivered(desk: BroadcastDesk, context: AuthorizeContext, broadcastIds: string[]): Promise<{ delivered: number }> {
  const ids = broadcastIds.map((id) => myDeliveryId(context.actor, id)).filter((id): id is string => id !== undefined);
  const pending = await BroadcastDelivery.find({ _id: trusted({ $in: ids }), deliveredAt: trusted({ $exists: false }) }).lean<BroadcastDeliveryDocument[]>();
  for (const delivery of pending) {
    await desk.deliveries.update(delivery, { deliveredAt: now() });
    await desk.record(context, 'broadcast.delivered', String(delivery.broadcast), { level: delivery.level });
  }
  return { delivered: pending.length };
}

/**
 * A broadcast as its reader sees it: metadata, the sealed body and attachments to open, and what
 * the reader's place in the chain lets them see of its progress. Opening it marks it read.
 */
export async function open(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string): Promise<BroadcastView> {
  const broadcast = await findBroadcast(broadcastId);
  const resource = await resourceOf(broadcast, context.actor);
  await authorize(context, 'broadcast:read', resource);
  const { actor } = context;
  let mine: BroadcastDeliveryDocument | null = null;
  const deliveryId = myDeliveryId(actor, broadcastId);
  if (deliveryId) {
    mine = await BroadcastDelivery.findById(deliveryId).lean<BroadcastDeliveryDocument>();
    if (mine && !mine.readAt) {
      mine = await desk.deliveries.update(mine, { readAt: now(), readBy: actor.userId, ...(mine.deliveredAt ? {} : { deliveredAt: now() }) });
      await desk.record(context, 'broadcast.read', broadcastId, { level: mine.level });
    }
  }
  const tracking = followsProgress(resource, actor) ? await trackingRows(desk, broadcast, actor) : [];
  const own = mine ? { ...(await desk.deliveries.row(mine)), instructions: mine.instructions ? String(mine.instructions) : undefined } : undefined;
  return presentBroadcast(broadcast, own, tracking, actor);
}

/** Whether the reader also sees the tracking matrix (the desk, an ILO for its units). */
function followsProgress(resource: BroadcastResource, actor: Actor): boolean {
  if (resource.status === 'draft' || resource.status === 'in-review') return false;
  return actor.role === 'ncb-officer' || actor.role === 'ncb-admin' || actor.role === 'ilo';
}
