import type { Role } from '../../access/roles.js';
import { RefreshingValue } from '../../shared/refreshing-value.js';
import { SharedRevision } from '../../shared/shared-revision.js';
import { Account } from './account.model.js';

/** What group and channel membership needs to know of an active account. */
export interface ActiveAccount {
  readonly id: string;
  readonly role: Role;
  readonly agency: string;
  readonly unit: string | undefined;
}

/** How old the index may get before the revision is checked (other processes' changes show within this). */
const INDEX_TTL_MS = 5_000;
/** Read again after this even with no revision (an account changed by hand in the database). */
const INDEX_RELOAD_MS = 300_000;
/** Moved on by every process after a change to an account's status, role or place. */
const revision = new SharedRevision('accounts');

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
}, INDEX_TTL_MS, { read: () => revision.read(), reloadAfterMs: INDEX_RELOAD_MS });

/**
 * Every active account, read in one query and kept (refreshed in the background, so no caller
 * waits for the read once there is one), so that membership of hundreds of channels is worked out
 * in memory instead of one query each. It is read again when the accounts' revision moves (checked
 * every few seconds), not on a timer: on FerretDB v1 the read scans every account (~70 µs of
 * database CPU each), and all the active accounts of the portal are tens of thousands.
 */
export function activeAccounts(): Promise<ActiveAccount[]> {
  return index.get();
}

/**
 * After a change to an account's status, role, agency or unit: drops the index, so the change
 * shows at once in this process, and moves the revision on, so it shows in the others.
 */
export async function forgetActiveAccounts(): Promise<void> {
  index.forget();
  await revision.bump();
}
