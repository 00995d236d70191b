/**
 * The names of the queues and desks a reference is in: what the queue log and the desk register
 * are kept under, so that a page or a count is read by `_id` (the one lookup the embedded
 * database does not answer with a scan).
 */
import type { Actor } from '../../access/actor.js';
import { DESK_ROLES } from '../../access/policy.js';
import type { ReferenceDocument } from './reference.model.js';

/**
 * The queues: `desk` (what waits at the caller's own desk), `unit` (a unit officer's unit's
 * references), `agency` (an ILO's agency's, once they reached the ILO or were the ILO's own), and
 * `national` (everything that reached the CBI).
 */
export const QUEUES = ['desk', 'unit', 'agency', 'national'] as const;
export type Queue = (typeof QUEUES)[number];

/** What the keys are computed from. */
export type Placed = Pick<ReferenceDocument, 'holder' | 'originDesk' | 'agency' | 'unit' | 'reached'>;

/** The desk holding a reference, by name (`unit:<id>`, `ilo:<agency>`, `cbi`, `abroad`), or undefined when nobody does. */
export function deskKeyOf(holder: Placed['holder']): string | undefined {
  if (holder.desk === 'unit' && holder.unit) return `unit:${String(holder.unit)}`;
  if (holder.desk === 'ilo' && holder.agency) return `ilo:${String(holder.agency)}`;
  if (holder.desk === 'cbi' || holder.desk === 'abroad') return holder.desk;
  return undefined;
}

/** Every queue a reference is in. */
export function queueKeysOf(reference: Placed): string[] {
  const keys: string[] = [];
  const desk = deskKeyOf(reference.holder);
  if (desk && desk !== 'abroad') keys.push(`desk:${desk}`);
  if (reference.unit) keys.push(`unit:${String(reference.unit)}`);
  if (reference.originDesk === 'ilo' || reference.reached.includes('ilo')) keys.push(`agency:${String(reference.agency)}`);
  if (reference.originDesk === 'cbi' || reference.reached.includes('cbi')) keys.push('national');
  return keys;
}

/** The key of `actor`'s queue, or undefined when the queue is not theirs. */
export function queueKeyFor(actor: Actor, queue: Queue): string | undefined {
  const desk = deskKeyFor(actor);
  if (queue === 'desk') return desk ? `desk:${desk}` : undefined;
  if (queue === 'unit' && actor.role === 'uo' && actor.unitId) return `unit:${actor.unitId}`;
  if (queue === 'agency' && actor.role === 'ilo') return `agency:${actor.agencyId}`;
  if (queue === 'national' && DESK_ROLES.includes(actor.role)) return 'national';
  return undefined;
}

/** The desk `actor` works at, or undefined for officers without one. */
export function deskKeyFor(actor: Actor): string | undefined {
  if (actor.role === 'uo' && actor.unitId) return `unit:${actor.unitId}`;
  if (actor.role === 'ilo') return `ilo:${actor.agencyId}`;
  if (DESK_ROLES.includes(actor.role)) return 'cbi';
  return undefined;
}

/** When a reference last moved (references written before `movedAt` was kept: when last changed). */
export function movedAtOf(reference: { movedAt?: Date | null; updatedAt?: Date }): Date {
  return reference.movedAt ?? reference.updatedAt ?? new Date(0);
}
