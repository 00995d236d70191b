import { ROLE_LABELS, type Role } from '../../access/roles.js';
import type { AgencyDocument, UnitDocument } from '../organisation/organisation.lookups.js';
import type { AccountDocument } from './account.model.js';

/** An account as administrators see it: identity, place, status; never hashes, seeds or tokens. */
export interface AccountView {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly designation: string;
  readonly email: string;
  readonly phone: string;
  readonly role: Role;
  readonly roleLabel: string;
  readonly agency: { readonly id: string; readonly code: string; readonly name: string } | undefined;
  readonly unit: { readonly id: string; readonly code: string; readonly name: string } | undefined;
  readonly status: string;
  readonly lastSignInAt: string | undefined;
}

/** Presents accounts, resolving their agency and unit from the maps given. */
export function presentAccount(
  account: AccountDocument,
  agencies: ReadonlyMap<string, AgencyDocument>,
  units: ReadonlyMap<string, UnitDocument>,
): AccountView {
  const agency = agencies.get(String(account.agency));
  const unit = account.unit ? units.get(String(account.unit)) : undefined;
  return {
    id: String(account._id),
    username: account.username,
    displayName: account.displayName,
    designation: account.designation ?? '',
    email: account.email ?? '',
    phone: account.phone ?? '',
    role: account.role,
    roleLabel: ROLE_LABELS[account.role],
    agency: agency ? { id: String(agency._id), code: agency.code, name: agency.name } : undefined,
    unit: unit ? { id: String(unit._id), code: unit.code, name: unit.name } : undefined,
    status: account.status,
    lastSignInAt: account.lastSignInAt?.toISOString(),
  };
}
