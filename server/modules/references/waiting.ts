/** What waits for an officer in References: counts for the navigation and the home page. */
import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { DESK_ROLES } from '../../access/policy.js';
import { now } from '../../clock.js';
import { ShortLived } from '../../shared/short-lived.js';
import { Reference } from './reference.model.js';
import { queueFilter } from './reference.queries.js';

/** References' part of what waits for an officer: what is at their desk, and how much of it is late. */
export interface ReferenceWaiting {
  readonly atDesk: number;
  readonly overdue: number;
}

/** Counts are scans on the embedded database: each desk's are kept this long (and dropped when this process moves a reference). */
export const referenceCounts = new ShortLived<ReferenceWaiting>(15_000);

/** What waits at `actor`'s desk (a unit's, an agency's ILOs', the CBI's), shared by its officers for a few seconds. */
export function referencesWaiting(actor: Actor): Promise<ReferenceWaiting> {
  const works = DESK_ROLES.includes(actor.role) || actor.role === 'ilo' || (actor.role === 'uo' && actor.unitId);
  if (!works) return Promise.resolve({ atDesk: 0, overdue: 0 });
  const filter = queueFilter(actor, 'desk');
  return referenceCounts.get(JSON.stringify(filter), async () => {
    // Drafts stay at their author's desk without waiting on anyone else: they are not counted.
    const waiting: Record<string, unknown> = { ...filter, status: mongoose.trusted({ $ne: 'draft' as const }) };
    const [atDesk, overdue] = await Promise.all([
      Reference.countDocuments(waiting),
      Reference.countDocuments({ ...waiting, deadline: mongoose.trusted({ $lt: now() }) }),
    ]);
    return { atDesk, overdue };
  });
}
