import mongoose from 'mongoose';
import type { AgencyType } from '../../access/roles.js';
import { escapeRegex } from '../../shared/text.js';
import { Agency, Unit, type AgencyDocument, type UnitDocument } from './organisation.model.js';

export type { AgencyDocument, UnitDocument };

/**
 * The organisation as other modules read it (agencies and units): the only way they reach its
 * data. Lookups by one id are by `_id`; lists are small (52 agencies, a few thousand units).
 */

const trusted = <T>(operator: T): T => mongoose.trusted<T>(operator);
const validIds = (ids: readonly unknown[]): string[] => [...new Set(ids.map(String))].filter((id) => mongoose.isValidObjectId(id));

/** An agency by id, or undefined. */
export async function agencyById(id: unknown): Promise<AgencyDocument | undefined> {
  if (!mongoose.isValidObjectId(id)) return undefined;
  return (await Agency.findById(id).lean<AgencyDocument>()) ?? undefined;
}

/** A unit by id, or undefined. */
export async function unitById(id: unknown): Promise<UnitDocument | undefined> {
  if (!mongoose.isValidObjectId(id)) return undefined;
  return (await Unit.findById(id).lean<UnitDocument>()) ?? undefined;
}

/** The agencies of these ids (unknown ids left out), by name. */
export async function agenciesByIds(ids: readonly unknown[]): Promise<AgencyDocument[]> {
  const valid = validIds(ids);
  if (valid.length === 0) return [];
  return Agency.find({ _id: trusted({ $in: valid }) }).sort({ name: 1 }).lean<AgencyDocument[]>();
}

/** The units of these ids (of one agency when `agencyId` is given), by name. */
export async function unitsByIds(ids: readonly unknown[], agencyId?: string): Promise<UnitDocument[]> {
  const valid = validIds(ids);
  if (valid.length === 0) return [];
  return Unit.find({ _id: trusted({ $in: valid }), ...(agencyId ? { agency: agencyId } : {}) })
    .sort({ name: 1 })
    .lean<UnitDocument[]>();
}

/** Agencies by name: all, or those of some types (the CBI is of type `ncb`). */
export async function listAgencies(types?: readonly AgencyType[]): Promise<AgencyDocument[]> {
  return Agency.find(types ? { type: trusted({ $in: [...types] }) } : {})
    .sort({ name: 1 })
    .lean<AgencyDocument[]>();
}

/** The agencies other than the CBI, by name. */
export function partnerAgencies(): Promise<AgencyDocument[]> {
  return listAgencies(['state', 'union-territory', 'central']);
}

/** An agency's units, by name. */
export async function unitsOfAgency(agencyId: string): Promise<UnitDocument[]> {
  return Unit.find({ agency: agencyId }).sort({ name: 1 }).lean<UnitDocument[]>();
}

/** Units whose name, code or city contain `text` (in some agencies when given), by name, at most `limit`. */
export async function searchUnits(text: string, options: { agencyIds?: readonly string[]; limit: number }): Promise<UnitDocument[]> {
  const pattern = trusted({ $regex: escapeRegex(text), $options: 'i' });
  return Unit.find({
    ...(options.agencyIds ? { agency: trusted({ $in: [...options.agencyIds] }) } : {}),
    $or: [{ name: pattern }, { code: pattern }, { city: pattern }],
  })
    .sort({ name: 1 })
    .limit(options.limit)
    .lean<UnitDocument[]>();
}

/** Names of agencies and units by id (unknown ids left out). */
export async function placeNames(ids: readonly unknown[]): Promise<Map<string, string>> {
  const [agencies, units] = await Promise.all([agenciesByIds(ids), unitsByIds(ids)]);
  return new Map([...agencies, ...units].map((place) => [String(place._id), place.name]));
}
