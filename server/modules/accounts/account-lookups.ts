/**
 * The accounts module's read face: officers by id, by place, or by search, as other modules and
 * the sealed layer's directory need them. Nothing outside this module reads the account model.
 */
import mongoose from 'mongoose';
import type { Role } from '../../access/roles.js';
import { escapeRegex } from '../../shared/text.js';
import { Account, type AccountDocument, type AccountStatus } from './account.model.js';

export type { AccountStatus };

/** An officer as other modules see them: who, where, in which state. */
export interface AccountCard {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly designation: string;
  readonly role: Role;
  readonly agency: string;
  readonly unit: string | undefined;
  readonly status: AccountStatus;
  readonly email: string;
  readonly phone: string;
}

const CARD = { username: 1, displayName: 1, designation: 1, role: 1, agency: 1, unit: 1, status: 1, email: 1, phone: 1 } as const;

function cardOf(row: Pick<AccountDocument, keyof typeof CARD> & { _id: mongoose.Types.ObjectId }): AccountCard {
  return {
    id: String(row._id),
    username: row.username,
    displayName: row.displayName,
    designation: row.designation ?? '',
    role: row.role,
    agency: String(row.agency),
    unit: row.unit ? String(row.unit) : undefined,
    status: row.status,
    email: row.email ?? '',
    phone: row.phone ?? '',
  };
}

/** An account by id (any status); undefined for an unknown or malformed id. */
export async function accountById(accountId: string): Promise<AccountCard | undefined> {
  if (!mongoose.isValidObjectId(accountId)) return undefined;
  const row = await Account.findById(accountId, CARD).lean<AccountDocument>();
  return row ? cardOf(row) : undefined;
}

/** Accounts by id, in one query (unknown ids are left out). */
export async function accountsByIds(accountIds: readonly string[]): Promise<AccountCard[]> {
  const ids = [...new Set(accountIds)].filter((id) => mongoose.isValidObjectId(id));
  if (ids.length === 0) return [];
  return (await Account.find({ _id: mongoose.trusted({ $in: ids }) }, CARD).lean<AccountDocument[]>()).map(cardOf);
}

/** The active officers of a role in an agency, by name (at most `limit`). */
export async function activeOfficersOf(agencyId: string, role: Role, limit: number): Promise<AccountCard[]> {
  const rows = await Account.find({ agency: agencyId, role, status: 'active' }, CARD).sort({ displayName: 1 }).limit(limit).lean<AccountDocument[]>();
  return rows.map(cardOf);
}

/** What the directory searches on. */
export interface OfficerSearch {
  /** The agencies to search in; undefined for every agency. */
  readonly agencies: readonly string[] | undefined;
  readonly statuses: readonly AccountStatus[];
  readonly role?: Role | undefined;
  /** Matched, case-insensitively, anywhere in the name, username or designation. */
  readonly text?: string | undefined;
  readonly skip: number;
  readonly limit: number;
}

/**
 * One page of officers, by name, and how many match in all. The agency scope is part of every
 * query; the text is escaped (an unanchored case-insensitive regex, which FerretDB and MongoDB
 * both run).
 */
export async function searchOfficers(search: OfficerSearch): Promise<{ officers: AccountCard[]; total: number }> {
  const pattern = search.text ? mongoose.trusted({ $regex: escapeRegex(search.text), $options: 'i' }) : undefined;
  const filter = {
    ...(search.agencies ? { agency: mongoose.trusted({ $in: search.agencies.map((id) => new mongoose.Types.ObjectId(id)) }) } : {}),
    status: mongoose.trusted({ $in: [...search.statuses] }),
    ...(search.role ? { role: search.role } : {}),
    ...(pattern ? { $or: [{ displayName: pattern }, { username: pattern }, { designation: pattern }] } : {}),
  };
  const [rows, total] = await Promise.all([
    Account.find(filter, CARD).sort({ displayName: 1 }).skip(search.skip).limit(search.limit).lean<AccountDocument[]>(),
    Account.countDocuments(filter),
  ]);
  return { officers: rows.map(cardOf), total };
}
