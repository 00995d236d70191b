/** What waits for an officer in Broadcast: counts for the navigation and the home page. */
import type { Actor } from '../../access/actor.js';
import { DESK_ROLES } from '../../access/policy.js';
import { now } from '../../clock.js';
import { ShortLived } from '../../shared/short-lived.js';
import { Broadcast, BroadcastDelivery } from './broadcast.model.js';
import { deliveryStateFilter, officeScopeOf, trusted } from './broadcast.queries.js';

/** Broadcast's part of what waits for an officer. */
export interface BroadcastWaiting {
  /** Addressee (ILO, UO): received and not yet acknowledged by their office. */
  readonly toAcknowledge: number;
  /** Addressee: past the deadline without an answer (or acknowledgement); desk: sent broadcasts past it. */
  readonly overdue: number;
  /** Desk: drafts another officer handed in for review. */
  readonly toReview: number;
}

/** Counts are scans on the embedded database: each office's are kept this long. */
const kept = new ShortLived<BroadcastWaiting>(15_000);

/** What waits for `actor` in Broadcast (counted per office, shared by its officers for a few seconds). */
export function waitingFor(actor: Actor): Promise<BroadcastWaiting> {
  const desk = DESK_ROLES.includes(actor.role);
  const office = officeScopeOf(actor);
  if (!desk && !office) return Promise.resolve({ toAcknowledge: 0, overdue: 0, toReview: 0 });
  const scope = desk ? `desk:${actor.userId}` : JSON.stringify(office);
  return kept.get(scope, () => (office ? officeCounts(office) : deskCounts(actor.userId)));
}

async function officeCounts(scope: Record<string, unknown>): Promise<BroadcastWaiting> {
  const [toAcknowledge, overdue] = await Promise.all([
    BroadcastDelivery.countDocuments({ ...scope, closed: false, acknowledgement: trusted({ $exists: false }) }),
    BroadcastDelivery.countDocuments({ ...scope, ...deliveryStateFilter('overdue') }),
  ]);
  return { toAcknowledge, overdue, toReview: 0 };
}

async function deskCounts(userId: string): Promise<BroadcastWaiting> {
  const [toReview, overdue] = await Promise.all([
    Broadcast.countDocuments({ status: 'in-review', author: trusted({ $ne: userId }) }),
    Broadcast.countDocuments({ status: 'sent', deadline: trusted({ $lt: now() }) }),
  ]);
  return { toAcknowledge: 0, overdue, toReview };
}
