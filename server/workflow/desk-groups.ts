/**
 * The desks a request passes between (a unit, an agency's ILOs, the CBI) and the group whose key
 * their officers share: what a request is sealed for at its author's desk and opened for as it
 * moves up (see sealed/groups/group-catalogue.ts for who belongs to each).
 */
import type { Actor } from '../access/actor.js';

export type OriginDesk = 'unit' | 'ilo' | 'cbi';

/** The CBI desk's group. */
export const DESK_GROUP = 'ncb-desk';

/** The group of a desk: `unit:<id>`, `agency-ilos:<agency>`, or the CBI desk's. */
export function groupOfDesk(desk: OriginDesk, place: { agency: string; unit?: string | undefined }): string {
  if (desk === 'unit') return `unit:${place.unit ?? ''}`;
  if (desk === 'ilo') return `agency-ilos:${place.agency}`;
  return DESK_GROUP;
}

/** The desk an officer drafts at: their unit (UO), their agency's ILOs, or the CBI. */
export function originOf(actor: Actor): { desk: OriginDesk; agency: string; unit?: string } {
  if (actor.role === 'uo' && actor.unitId) return { desk: 'unit', agency: actor.agencyId, unit: actor.unitId };
  if (actor.role === 'ilo') return { desk: 'ilo', agency: actor.agencyId };
  return { desk: 'cbi', agency: actor.agencyId };
}
