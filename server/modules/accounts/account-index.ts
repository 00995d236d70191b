import type { Role } from '../../access/roles.js';
import { RefreshingValue } from '../../shared/refreshing-value.js';
import { Account } from './account.model.js';

/** What group and channel membership needs to know of an active account. */
export interface ActiveAccount {
  readonly id: string;
  readonly role: Role;
  readonly agency: string;
  readonly unit: string | undefined;
}

/** How old the index may get before it is read again (other processes' changes show within this). */
const INDEX_TTL_MS = 5_000;

/** The last index read, and what it says, to hand back the same list when nothing changed. */
let last: { key: string; accounts: ActiveAccount[] } | undefined;

const index = new RefreshingValue(async () => {
  const rows = await Account.find({ status: 'active' }, { role: 1, agency: 1, unit: 1 }).lean();
  const accounts = rows.map((row) => ({
    id: String(row._id),
    role: row.role,
    agency: String(row.agency),
    unit: row.unit ? String(row.unit) : undefined,
  }));
  // Unchanged, the same list: what is worked out from it (channel members) stays valid.
  const key = accounts.map((account) => `${account.id}:${account.role}:${account.agency}:${account.unit ?? ''}`).join(',');
  if (last?.key !== key) last = { key, accounts };
  return last.accounts;
}, INDEX_TTL_MS);

/**
 * Every active account, read in one query and kept for a few seconds (refreshed in the
 * background, so no caller waits for the read once there is one), so that membership of hundreds
 * of channels is worked out in memory instead of one query each. (On FerretDB v1 every non-_id
 * query scans the collection: one scan every few seconds instead of one per channel.)
 */
export function activeAccounts(): Promise<ActiveAccount[]> {
  return index.get();
}

/** Drops the index after an account change in this process, so the change shows at once here. */
export function forgetActiveAccounts(): void {
  index.forget();
}
