import mongoose from 'mongoose';
import { authorize, recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import { can } from '../../access/policy.js';
import type { AgencyType } from '../../access/roles.js';
import { isDuplicateKey } from '../../db/errors.js';
import { AppError, notFound } from '../../errors.js';
import { escapeRegex } from '../../shared/text.js';
import { Agency, Unit, type AgencyDocument, type UnitDocument } from './organisation.model.js';
import type { CreateAgencyInput, CreateUnitInput } from './organisation.schema.js';

/** Units shown per page on an agency's page. */
export const UNITS_PAGE_SIZE = 50;

/** The CBI (the NCB), which every deployment has exactly one of. */
export async function cbiAgency(): Promise<AgencyDocument> {
  const cbi = await Agency.findOne({ type: 'ncb' }).lean<AgencyDocument>();
  if (!cbi) throw new AppError(500, 'ncb-missing', 'The CBI is not set up in this portal.');
  return cbi;
}

/** An agency by id, or a 404. */
export async function findAgency(agencyId: string): Promise<AgencyDocument> {
  const agency = mongoose.isValidObjectId(agencyId) ? await Agency.findById(agencyId).lean<AgencyDocument>() : null;
  if (!agency) throw notFound('agency');
  return agency;
}

/** The agency as the access policy sees it. */
export function agencyResource(agency: AgencyDocument): { kind: 'agency'; agencyId: string; agencyType: AgencyType } {
  return { kind: 'agency', agencyId: String(agency._id), agencyType: agency.type };
}

/** Agencies and units: creation by those in scope, and listing within scope. */
export class OrganisationService {
  /** Creates an agency (NCB administrators only). */
  async createAgency(context: AuthorizeContext, input: CreateAgencyInput): Promise<AgencyDocument> {
    await authorize(context, 'agency:create');
    try {
      const agency = await Agency.create({ ...input, createdBy: context.actor.userId });
      await recordSuccess(context, 'agency.created', { type: 'agency', id: String(agency._id), label: agency.code });
      return agency.toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppError(409, 'agency-code-taken', `An agency with code ${input.code} already exists.`);
      throw error;
    }
  }

  /** Creates a unit under an agency (NCB administrators, or that agency's ILOs). */
  async createUnit(context: AuthorizeContext, agencyId: string, input: CreateUnitInput): Promise<UnitDocument> {
    const agency = await findAgency(agencyId);
    await authorize(context, 'unit:create', agencyResource(agency));
    const code = input.code.startsWith(`${agency.code}-`) ? input.code : `${agency.code}-${input.code}`;
    try {
      const unit = await Unit.create({ ...input, code, agency: agency._id, createdBy: context.actor.userId });
      await recordSuccess(context, 'unit.created', { type: 'unit', id: String(unit._id), label: unit.code });
      return unit.toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppError(409, 'unit-code-taken', `A unit with code ${code} already exists.`);
      throw error;
    }
  }

  /** The agencies `context.actor` may open: all of them for the CBI, their own for others. */
  async visibleAgencies(context: AuthorizeContext): Promise<AgencyDocument[]> {
    const agencies = await Agency.find().sort({ type: 1, name: 1 }).lean<AgencyDocument[]>();
    return agencies.filter((agency) => can(context.actor, 'agency:read', agencyResource(agency)));
  }

  /** One agency and a page of its units, if the actor may read it. */
  async agencyWithUnits(
    context: AuthorizeContext,
    agencyId: string,
    query: { q?: string | undefined; page: number },
  ): Promise<{ agency: AgencyDocument; units: UnitDocument[]; totalUnits: number }> {
    const agency = await findAgency(agencyId);
    await authorize(context, 'agency:read', agencyResource(agency));
    const pattern = query.q ? mongoose.trusted({ $regex: escapeRegex(query.q), $options: 'i' }) : undefined;
    const filter = {
      agency: agency._id,
      ...(pattern ? { $or: [{ name: pattern }, { code: pattern }, { city: pattern }] } : {}),
    };
    const [units, totalUnits] = await Promise.all([
      Unit.find(filter)
        .sort({ name: 1 })
        .skip((query.page - 1) * UNITS_PAGE_SIZE)
        .limit(UNITS_PAGE_SIZE)
        .lean<UnitDocument[]>(),
      Unit.countDocuments(filter),
    ]);
    return { agency, units, totalUnits };
  }
}
