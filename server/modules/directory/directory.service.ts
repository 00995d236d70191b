import { authorize, deny, type AuthorizeContext } from '../../access/authorize.js';
import { directoryAgencies } from '../../access/policy.js';
import { ROLE_LABELS, type Role } from '../../access/roles.js';
import { formatFingerprint } from '../../crypto/client.js';
import { currentKeys, verificationsBy } from '../../sealed/keys/keys.service.js';
import { searchOfficers, type AccountStatus } from '../accounts/account-lookups.js';
import { agenciesByIds, searchUnits, unitsByIds, type UnitDocument } from '../organisation/organisation.lookups.js';
import { cbiAgency } from '../organisation/organisation.service.js';
import type { DirectoryQuery } from './directory.schema.js';

export const DIRECTORY_PAGE_SIZE = 25;

/** Disabled accounts leave the directory; invited ones are listed so colleagues know they are coming. */
const listedStatuses: AccountStatus[] = ['active', 'locked', 'invited'];

/** An officer as colleagues see them in the directory. */
export interface DirectoryOfficer {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly designation: string;
  readonly role: Role;
  readonly roleLabel: string;
  readonly agency: { readonly code: string; readonly name: string } | undefined;
  readonly unit: { readonly name: string } | undefined;
  readonly email: string;
  readonly phone: string;
  /** The officer's current key fingerprint, grouped for reading aloud; unset before enrolment. */
  readonly fingerprint: string | undefined;
  /** Whether the viewer checked this fingerprint, or checked an earlier key (the key changed since). */
  readonly keyStatus: 'verified' | 'changed' | 'unverified' | 'none';
  readonly self: boolean;
}

/** A unit in directory results. */
export interface DirectoryUnit {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly agency: { readonly code: string; readonly name: string } | undefined;
}

export interface DirectoryPage {
  readonly officers: DirectoryOfficer[];
  readonly units: DirectoryUnit[];
  readonly totalOfficers: number;
  readonly page: number;
  readonly pages: number;
}

/**
 * Finds officers and units by name, agency and role, within what the actor may see: search
 * works on FerretDB and MongoDB alike (case-insensitive anchored-free regex on indexed names,
 * with the input escaped), and the agency scope is part of every query.
 */
export async function searchDirectory(context: AuthorizeContext, query: DirectoryQuery): Promise<DirectoryPage> {
  await authorize(context, 'directory:search');
  const cbi = await cbiAgency();
  const scope = directoryAgencies(context.actor, String(cbi._id));
  if (query.agencyId && scope !== 'all' && !scope.includes(query.agencyId)) {
    return deny(context, 'directory:search', { type: 'agency', id: query.agencyId });
  }
  const inScope = query.agencyId ? [query.agencyId] : scope === 'all' ? undefined : scope;
  const [{ officers, total: totalOfficers }, units] = await Promise.all([
    searchOfficers({
      agencies: inScope,
      statuses: listedStatuses,
      role: query.role,
      text: query.q,
      skip: (query.page - 1) * DIRECTORY_PAGE_SIZE,
      limit: DIRECTORY_PAGE_SIZE,
    }),
    query.q && !query.role && query.page === 1 ? searchUnits(query.q, { agencyIds: inScope, limit: 10 }) : Promise.resolve([] as UnitDocument[]),
  ]);

  const unitIds = officers.flatMap((officer) => (officer.unit ? [officer.unit] : []));
  const agencyIds = [...officers.map((officer) => officer.agency), ...units.map((unit) => unit.agency)];
  const [agencies, officerUnits] = await Promise.all([
    agenciesByIds(agencyIds),
    unitsByIds(unitIds),
  ]);
  const officerIds = officers.map((officer) => officer.id);
  const [keys, verified] = await Promise.all([currentKeys(officerIds), verificationsBy(context.actor.userId, officerIds)]);
  const keyStatus = (officerId: string): DirectoryOfficer['keyStatus'] => {
    const key = keys.get(officerId);
    if (!key) return 'none';
    const checked = verified.get(officerId);
    return checked === undefined ? 'unverified' : checked === key.fingerprint ? 'verified' : 'changed';
  };
  const agencyOf = new Map(agencies.map((agency) => [String(agency._id), { code: agency.code, name: agency.name }]));
  const unitOf = new Map(officerUnits.map((unit) => [String(unit._id), { name: unit.name }]));

  return {
    officers: officers.map((officer) => ({
      id: officer.id,
      username: officer.username,
      displayName: officer.displayName,
      designation: officer.designation,
      role: officer.role,
      roleLabel: ROLE_LABELS[officer.role],
      agency: agencyOf.get(officer.agency),
      unit: officer.unit ? unitOf.get(officer.unit) : undefined,
      email: officer.email,
      phone: officer.phone,
      fingerprint: keys.has(officer.id) ? formatFingerprint(keys.get(officer.id)?.fingerprint ?? '') : undefined,
      keyStatus: keyStatus(officer.id),
      self: officer.id === context.actor.userId,
    })),
    units: units.map((unit) => ({ id: String(unit._id), code: unit.code, name: unit.name, agency: agencyOf.get(String(unit.agency)) })),
    totalOfficers,
    page: query.page,
    pages: Math.max(1, Math.ceil(totalOfficers / DIRECTORY_PAGE_SIZE)),
  };
}
