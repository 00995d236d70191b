/** Signing off receipt: the officer signs a statement the server rebuilds, with their own key. */
import type { Actor } from '../../access/actor.js';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { TrackingRow } from '../../workflow/tracking.events.js';
import { verifySigned } from '../../workflow/signed-statement.js';
import type { BroadcastDocument } from './broadcast.model.js';
import { findBroadcast, findDelivery, myDeliveryId, resourceOf, type BroadcastDesk } from './desk.js';
import { acknowledgementStatement } from './statement.js';

/** Records the caller's signed acknowledgement for their agency or unit. */
export async function acknowledge(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, input: { signedAt: Date; signature: string }): Promise<TrackingRow> {
  const broadcast = await findBroadcast(broadcastId);
  await authorize(context, 'broadcast:acknowledge', await resourceOf(broadcast, context.actor));
  const { actor } = context;
  const deliveryId = myDeliveryId(actor, broadcastId)!;
  return desk.locks.run(deliveryId, async () => {
    const delivery = await findDelivery(deliveryId);
    if (delivery.acknowledgement) throw new AppError(409, 'already-acknowledged', 'This broadcast is already acknowledged for your office.');
    const statement = await statementOf(desk, broadcast, actor, input.signedAt);
    const signed = await verifySigned(actor, { statement, ...input }, 'an acknowledgement');
    const at = now();
    const updated = await desk.deliveries.update(delivery, {
      acknowledgement: signed,
      ...(delivery.readAt ? {} : { readAt: at, readBy: actor.userId }),
      ...(delivery.deliveredAt ? {} : { deliveredAt: at }),
    });
    await desk.record(context, 'broadcast.acknowledged', broadcastId, { level: delivery.level, fingerprint: signed.fingerprint });
    return desk.deliveries.row(updated);
  });
}

/** The statement the caller is asked to sign to acknowledge a broadcast at `signedAt`. */
export async function statementFor(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, signedAt: Date): Promise<{ statement: string; signedAt: string }> {
  const broadcast = await findBroadcast(broadcastId);
  await authorize(context, 'broadcast:acknowledge', await resourceOf(broadcast, context.actor));
  return { statement: await statementOf(desk, broadcast, context.actor, signedAt), signedAt: signedAt.toISOString() };
}

/** The statement `actor` signs to acknowledge `broadcast`. */
async function statementOf(desk: BroadcastDesk, broadcast: BroadcastDocument, actor: Actor, signedAt: Date): Promise<string> {
  const agency = await desk.deliveries.nameOf('agency', actor.agencyId);
  const unit = actor.role === 'uo' && actor.unitId ? await desk.deliveries.nameOf('unit', actor.unitId) : undefined;
  return acknowledgementStatement({
    broadcastId: String(broadcast._id),
    reference: broadcast.reference,
    handlingCode: broadcast.handling.code,
    restrictions: broadcast.handling.restrictions,
    username: actor.username,
    role: actor.role,
    agencyCode: agency.code,
    unitCode: unit?.code,
    signedAt,
  });
}
