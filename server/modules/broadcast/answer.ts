/** Answers up the chain: a unit's action-taken report to its ILOs, an agency's response to the CBI. */
import mongoose from 'mongoose';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { TrackingRow } from '../../workflow/tracking.events.js';
import { checkOpening, openForGroups } from '../../workflow/openings.js';
import { bindFiles } from '../../sealed/files/files.service.js';
import { createItem } from '../../sealed/items/items.service.js';
import type { BroadcastDocument } from './broadcast.model.js';
import type { AnswerInput } from './broadcast.schema.js';
import { bindingOf, DESK_GROUP, findBroadcast, findDelivery, ilosGroup, myDeliveryId, resourceOf, unitGroup, type BroadcastDesk } from './desk.js';

/** A unit's action-taken report to its ILOs. */
export async function report(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, input: AnswerInput): Promise<TrackingRow> {
  const broadcast = await findBroadcast(broadcastId);
  await authorize(context, 'broadcast:report', await resourceOf(broadcast, context.actor));
  return answer(desk, context, broadcast, input, unitGroup(context.actor.unitId!), ilosGroup(context.actor.agencyId), 'broadcast.reported');
}

/** An agency's consolidated response to the CBI. */
export async function respond(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, input: AnswerInput): Promise<TrackingRow> {
  const broadcast = await findBroadcast(broadcastId);
  await authorize(context, 'broadcast:respond', await resourceOf(broadcast, context.actor));
  return answer(desk, context, broadcast, input, ilosGroup(context.actor.agencyId), DESK_GROUP, 'broadcast.responded');
}

/** Stores an answer sealed for the writer's group and opened for the group above, once per addressee. */
function answer(desk: BroadcastDesk, context: AuthorizeContext, broadcast: BroadcastDocument, input: AnswerInput, own: string, upper: string, action: string): Promise<TrackingRow> {
  const broadcastId = String(broadcast._id);
  const deliveryId = myDeliveryId(context.actor, broadcastId)!;
  return desk.locks.run(deliveryId, async () => {
    const delivery = await findDelivery(deliveryId);
    if (!delivery.acknowledgement) throw new AppError(409, 'acknowledge-first', 'Acknowledge the broadcast before answering it.');
    if (delivery.respondedAt) throw new AppError(409, 'already-answered', 'Your office has already answered this broadcast.');
    const upward = await checkOpening(upper, input.upward, input.attachments, upper);
    const files = await bindFiles(context.actor, input.attachments, own, bindingOf(broadcastId), 'broadcast');
    const item = await createItem(context, { group: own, ...input.body }, { boundTo: bindingOf(broadcastId) });
    const at = now();
    await openForGroups(context, new mongoose.Types.ObjectId(item.id), input.attachments, [upward], at);
    const updated = await desk.deliveries.update(delivery, { respondedAt: at, respondedBy: context.actor.userId, response: item.id, responseAttachments: files });
    await desk.record(context, action, broadcastId, { level: delivery.level, attachments: files.length });
    return desk.deliveries.row(updated);
  });
}
