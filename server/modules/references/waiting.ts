/** What waits for an officer in References: counts for the navigation and the home page. */
import type { Actor } from '../../access/actor.js';
import type { DeskCounts, DeskRegister } from './desk-register.js';
import { deskKeyFor } from './queue-keys.js';

/** References' part of what waits for an officer: what is at their desk, and how much of it is late. */
export type ReferenceWaiting = DeskCounts;

/** What waits at `actor`'s desk (a unit's, an agency's ILOs', the CBI's): one lookup of the desk's list. */
export function referencesWaiting(register: DeskRegister, actor: Actor): Promise<ReferenceWaiting> {
  return register.counts(deskKeyFor(actor));
}
