import { z } from 'zod';
import { UNIT_KINDS } from './organisation.model.js';

export { UNIT_KINDS };

const name = z.string().trim().min(2, 'Enter a name of at least 2 characters.').max(120, 'Use at most 120 characters.');

/** Ids in paths and bodies: 24 hex characters, nothing else reaches a query. */

export const createAgencySchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9-]{2,16}$/, 'Use 2-16 letters, digits or dashes, such as MHPOL.'),
  name,
  type: z.enum(['state', 'union-territory', 'central'], { error: 'Choose state, union territory or central agency.' }),
  region: z.string().trim().max(80).optional(),
});
export type CreateAgencyInput = z.output<typeof createAgencySchema>;

export const createUnitSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9-]{2,24}$/, 'Use 2-24 letters, digits or dashes, such as PUNE-CITY.'),
  name,
  kind: z.enum(UNIT_KINDS, { error: 'Choose the kind of unit.' }),
  city: z.string().trim().max(80).optional(),
});
export type CreateUnitInput = z.output<typeof createUnitSchema>;

export const listUnitsQuery = z.object({
  q: z.string().trim().max(80).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});
