import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import type { AuditSink } from '../../access/audit-event.js';
import { recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import type { BroadcastResource } from './broadcast.policy.js';
import { notFound } from '../../errors.js';
import type { AudienceNotifier } from '../../realtime/audience.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import type { Priority } from '../../shared/vocabulary/priorities.js';
import { DeliveryTracker } from '../../workflow/tracker.js';
import { agencyById, unitById } from '../organisation/organisation.lookups.js';
import { agencyDeliveryId, Broadcast, BroadcastDelivery, unitDeliveryId, type BroadcastDeliveryDocument, type BroadcastDocument } from './broadcast.model.js';

/** The groups a broadcast is sealed for, down the chain. */
export const DESK_GROUP = 'ncb-desk';
export const ilosGroup = (agencyId: string): string => `agency-ilos:${agencyId}`;
export const unitGroup = (unitId: string): string => `unit:${unitId}`;
/** What a broadcast's sealed parts are bound to, so only it can open them for more groups. */
export const bindingOf = (broadcastId: string): string => `broadcast:${broadcastId}`;

/**
 * What every Broadcast action works with: who to tell, where to audit, one lock per broadcast or
 * delivery (so two clicks cannot both pass a check), and the tracker of deliveries.
 */
export class BroadcastDesk {
  readonly locks = new KeyedLock();
  readonly deliveries: DeliveryTracker<BroadcastDeliveryDocument>;

  constructor(
    readonly notifier: AudienceNotifier,
    readonly audit: AuditSink,
    /** Priorities whose broadcasts a second desk officer must approve before they go out. */
    readonly reviewPriorities: ReadonlySet<Priority>,
  ) {
    this.deliveries = new DeliveryTracker<BroadcastDeliveryDocument>(
      BroadcastDelivery,
      (kind, id) => (kind === 'agency' ? agencyById(id) : unitById(id)),
      (rooms, delivery, row) => notifier.notifyRooms(rooms, 'broadcast:tracking', { broadcast: String(delivery.broadcast), row }),
    );
  }

  record(context: AuthorizeContext, action: string, broadcastId: string, details?: Record<string, string | number | boolean | null>): Promise<void> {
    return recordSuccess(context, action, { type: 'broadcast', id: broadcastId }, details);
  }
}

export async function findBroadcast(broadcastId: string): Promise<BroadcastDocument> {
  const broadcast = mongoose.isValidObjectId(broadcastId) ? await Broadcast.findById(broadcastId).lean<BroadcastDocument>() : null;
  if (!broadcast) throw notFound('broadcast');
  return broadcast;
}

/** A delivery by id, or 404. */
export async function findDelivery(deliveryId: string): Promise<BroadcastDeliveryDocument> {
  const delivery = await BroadcastDelivery.findById(deliveryId).lean<BroadcastDeliveryDocument>();
  if (!delivery) throw notFound('broadcast');
  return delivery;
}

/** The caller's own delivery of a broadcast: their agency's (ILO) or their unit's (UO). */
export function myDeliveryId(actor: Actor, broadcastId: string): string | undefined {
  if (actor.role === 'ilo') return agencyDeliveryId(broadcastId, actor.agencyId);
  if (actor.role === 'uo' && actor.unitId) return unitDeliveryId(broadcastId, actor.agencyId, actor.unitId);
  return undefined;
}

/**
 * A broadcast as the policy sees it for `actor`. Of the units it was passed on to, only whether
 * the actor's own unit is one matters (looked up by id: there may be hundreds).
 */
export async function resourceOf(broadcast: BroadcastDocument, actor: Actor): Promise<BroadcastResource> {
  const sent = broadcast.status !== 'draft' && broadcast.status !== 'in-review';
  const ownUnit = sent && actor.role === 'uo' && actor.unitId ? unitDeliveryId(String(broadcast._id), actor.agencyId, actor.unitId) : undefined;
  const units = ownUnit && (await BroadcastDelivery.exists({ _id: ownUnit })) ? [actor.unitId!] : [];
  return {
    kind: 'broadcast',
    id: String(broadcast._id),
    authorId: String(broadcast.author),
    status: broadcast.status,
    agencies: broadcast.recipients.map(String),
    units,
  };
}
