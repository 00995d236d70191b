import type { Actor } from '../../access/actor.js';
import type { AgencyType } from '../../access/roles.js';
import { agencyById } from '../organisation/organisation.lookups.js';
import { Account } from './account.model.js';

/** Agency types never change once created, so they are cached for the life of the process. */
const agencyTypes = new Map<string, AgencyType>();

/** The type of an agency, from the cache or the database. */
export async function agencyTypeOf(agencyId: string): Promise<AgencyType | undefined> {
  const cached = agencyTypes.get(agencyId);
  if (cached) return cached;
  const agency = await agencyById(agencyId);
  if (!agency) return undefined;
  agencyTypes.set(agencyId, agency.type);
  return agency.type;
}

/**
 * The actor for a session: only an active account acts. A locked or disabled account's sessions
 * stop working on their next request even before they are swept.
 */
export async function loadActor(accountId: string, sessionHash: string): Promise<Actor | undefined> {
  const account = await Account.findById(accountId, { username: 1, displayName: 1, role: 1, agency: 1, unit: 1, status: 1 }).lean();
  if (!account || account.status !== 'active') return undefined;
  const agencyId = String(account.agency);
  const agencyType = await agencyTypeOf(agencyId);
  if (!agencyType) return undefined;
  return {
    userId: String(account._id),
    username: account.username,
    displayName: account.displayName,
    role: account.role,
    agencyId,
    agencyType,
    unitId: account.unit ? String(account.unit) : undefined,
    sessionId: sessionHash,
  };
}
