/** Following a broadcast: the tracking matrix, and the per-minute sweep of reminders, deadlines and escalations. */
import type { Actor } from '../../access/actor.js';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import type { TrackingRow } from '../../workflow/tracking.events.js';
import { sweepDeliveries, type SweepResult } from '../../workflow/reminder-sweep.js';
import { agencyDeliveryId, BroadcastDelivery, type BroadcastDeliveryDocument, type BroadcastDocument } from './broadcast.model.js';
import { noticeOf } from './broadcast.view.js';
import { findBroadcast, resourceOf, type BroadcastDesk } from './desk.js';

/** The tracking matrix: every agency for the desk; the ILO's own agency and its units for an ILO. */
export async function tracking(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string): Promise<TrackingRow[]> {
  const broadcast = await findBroadcast(broadcastId);
  await authorize(context, 'broadcast:track', await resourceOf(broadcast, context.actor));
  return trackingRows(desk, broadcast, context.actor);
}

export async function trackingRows(desk: BroadcastDesk, broadcast: BroadcastDocument, actor: Actor): Promise<TrackingRow[]> {
  let deliveries: BroadcastDeliveryDocument[];
  if (actor.role === 'ilo') {
    // An agency that has not passed it on has one row: read it by id instead of searching.
    const own = await BroadcastDelivery.findById(agencyDeliveryId(String(broadcast._id), actor.agencyId)).lean<BroadcastDeliveryDocument>();
    deliveries = own && own.unitCount > 0 ? await BroadcastDelivery.find({ broadcast: broadcast._id, agency: actor.agencyId }).lean<BroadcastDeliveryDocument[]>() : own ? [own] : [];
  } else {
    deliveries = await BroadcastDelivery.find({ broadcast: broadcast._id }).lean<BroadcastDeliveryDocument[]>();
  }
  return desk.deliveries.rows(deliveries);
}

/** Runs every minute: reminders, overdue addressees, late units escalated to their ILOs. */
export function sweep(desk: BroadcastDesk): Promise<SweepResult> {
  return sweepDeliveries(desk.deliveries, desk.audit, {
    noun: 'broadcast',
    requestOf: (delivery) => String(delivery.broadcast),
    remind: (rooms, delivery) => desk.notifier.notifyRooms(rooms, 'broadcast:reminder', noticeOf(delivery)),
    escalate: (rooms, delivery, unitName) =>
      desk.notifier.notifyRooms(rooms, 'broadcast:escalated', {
        broadcast: String(delivery.broadcast),
        reference: delivery.reference,
        unitName,
        deadline: delivery.deadline.toISOString(),
      }),
  });
}
