import type { Role } from '../../access/roles.js';
import { Account } from './account.model.js';

/** What group and channel membership needs to know of an active account. */
export interface ActiveAccount {
  readonly id: string;
  readonly role: Role;
  readonly agency: string;
  readonly unit: string | undefined;
}

/** How long the index is reused before it is read again (other processes' changes show within this). */
const INDEX_TTL_MS = 5_000;
let index: { at: number; accounts: Promise<ActiveAccount[]> } | undefined;

/**
 * Every active account, read in one query and kept for a few seconds, so that membership of
 * hundreds of channels is worked out in memory instead of one query each. (On FerretDB v1 every
 * non-_id query scans the collection: one scan every few seconds instead of one per channel.)
 */
export function activeAccounts(): Promise<ActiveAccount[]> {
  if (index && Date.now() - index.at < INDEX_TTL_MS) return index.accounts;
  const accounts = Account.find({ status: 'active' }, { role: 1, agency: 1, unit: 1 })
    .lean()
    .then((rows) =>
      rows.map((row) => ({
        id: String(row._id),
        role: row.role,
        agency: String(row.agency),
        unit: row.unit ? String(row.unit) : undefined,
      })),
    );
  index = { at: Date.now(), accounts };
  accounts.catch(() => {
    index = undefined;
  });
  return accounts;
}

/** Drops the index after an account change in this process, so the change shows at once here. */
export function forgetActiveAccounts(): void {
  index = undefined;
}
