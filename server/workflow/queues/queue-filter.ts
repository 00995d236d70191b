/** A queue as a MongoDB filter, for the database that answers it from its indexes. */
import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { forbidden } from '../../errors.js';
import { queueKeyFor, type Queue } from './queue-keys.js';

const oid = (id: string): mongoose.Types.ObjectId => new mongoose.Types.ObjectId(id);

/**
 * The filter selecting a queue's requests for `actor` (MongoDB's way to read a queue; the same
 * rule as queueKeysOf in queue-keys.ts, which tests keep in step), or 403 for a queue not theirs.
 */
export function queueFilter(actor: Actor, queue: Queue): Record<string, unknown> {
  if (!queueKeyFor(actor, queue)) throw forbidden('This queue is not yours.');
  switch (queue) {
    case 'desk':
      if (actor.role === 'uo') return { 'holder.desk': 'unit', 'holder.unit': oid(actor.unitId!) };
      if (actor.role === 'ilo') return { 'holder.desk': 'ilo', 'holder.agency': oid(actor.agencyId) };
      return { 'holder.desk': 'cbi' };
    case 'unit':
      return { unit: oid(actor.unitId!) };
    case 'agency':
      return { agency: oid(actor.agencyId), $or: [{ originDesk: 'ilo' }, { reached: 'ilo' }] };
    case 'national':
      return { $or: [{ originDesk: 'cbi' }, { reached: 'cbi' }] };
  }
}
