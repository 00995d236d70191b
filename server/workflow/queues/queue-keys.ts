/**
 * The names of the queues and desks a request moving between desks is in (a reference, a notice
 * request): what the queue log and the desk register keep it under, so that a page or a count is
 * read by `_id` (the one lookup the embedded database does not answer with a scan).
 */
import type { Types } from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { DESK_ROLES } from '../../access/policy.js';

/**
 * The queues: `desk` (what waits at the caller's own desk), `unit` (a unit officer's unit's
 * requests), `agency` (an ILO's agency's, once they reached the ILO or were the ILO's own), and
 * `national` (everything that reached the CBI).
 */
export const QUEUES = ['desk', 'unit', 'agency', 'national'] as const;
export type Queue = (typeof QUEUES)[number];

type Id = Types.ObjectId | string;

/** Where a request is, as the keys are computed from it. */
export interface Placed {
  readonly holder: { readonly desk: string; readonly agency?: Id | null; readonly unit?: Id | null };
  readonly originDesk: string;
  readonly agency: Id;
  readonly unit?: Id | null;
  readonly reached: readonly string[];
}

/** Desks outside the portal (a foreign NCB, INTERPOL's General Secretariat): clocked, but nobody's queue here. */
const OUTSIDE = new Set(['abroad', 'gs']);

/** The desk holding a request, by name (`unit:<id>`, `ilo:<agency>`, `cbi`, `abroad`, `gs`), or undefined when nobody does. */
export function deskKeyOf(holder: Placed['holder']): string | undefined {
  if (holder.desk === 'unit' && holder.unit) return `unit:${String(holder.unit)}`;
  if (holder.desk === 'ilo' && holder.agency) return `ilo:${String(holder.agency)}`;
  if (holder.desk === 'cbi' || OUTSIDE.has(holder.desk)) return holder.desk;
  return undefined;
}

/** Every queue a request is in. */
export function queueKeysOf(request: Placed): string[] {
  const keys: string[] = [];
  const desk = deskKeyOf(request.holder);
  if (desk && !OUTSIDE.has(desk)) keys.push(`desk:${desk}`);
  if (request.unit) keys.push(`unit:${String(request.unit)}`);
  if (request.originDesk === 'ilo' || request.reached.includes('ilo')) keys.push(`agency:${String(request.agency)}`);
  if (request.originDesk === 'cbi' || request.reached.includes('cbi')) keys.push('national');
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

/** When a request last moved (those written before `movedAt` was kept: when last changed). */
export function movedAtOf(request: { movedAt?: Date | null; updatedAt?: Date }): Date {
  return request.movedAt ?? request.updatedAt ?? new Date(0);
}
