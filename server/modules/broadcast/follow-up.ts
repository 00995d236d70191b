/** The desk's follow-up: the reply to the foreign NCB recorded, the broadcast marked answered or closed. */
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { broadcastLifecycle } from './broadcast.lifecycle.js';
import { Broadcast, BroadcastDelivery } from './broadcast.model.js';
import type { TransmissionInput } from './broadcast.schema.js';
import { findBroadcast, resourceOf, type BroadcastDesk } from './desk.js';

/** Marks a broadcast answered (to the foreign NCB) or closed (no more work on it). */
export function close(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, move: 'answered' | 'closed'): Promise<{ status: string }> {
  return desk.locks.run(broadcastId, async () => {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:close', await resourceOf(broadcast, context.actor));
    const status = broadcastLifecycle.next(broadcast.status, move === 'answered' ? 'answer' : 'close');
    const at = now();
    await Broadcast.updateOne({ _id: broadcast._id }, { $set: { status, ...(status === 'answered' ? { answeredAt: at } : { closedAt: at }) } }).exec();
    if (status === 'closed') await BroadcastDelivery.updateMany({ broadcast: broadcast._id }, { $set: { closed: true } }).exec();
    await desk.record(context, `broadcast.${status}`, broadcastId, { reference: broadcast.reference });
    return { status };
  });
}

/** Records the reply sent to the foreign NCB (the portal does not itself connect to I-24/7). */
export async function transmit(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, input: TransmissionInput): Promise<{ transmissions: number }> {
  const broadcast = await findBroadcast(broadcastId);
  await authorize(context, 'broadcast:close', await resourceOf(broadcast, context.actor));
  const transmission = { ...input, by: context.actor.userId, at: now() };
  await Broadcast.updateOne({ _id: broadcast._id }, { $push: { transmissions: transmission } }).exec();
  await desk.record(context, 'broadcast.transmitted', broadcastId, { reference: input.reference, medium: input.medium });
  return { transmissions: broadcast.transmissions.length + 1 };
}
