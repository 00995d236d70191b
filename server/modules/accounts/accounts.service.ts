import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { authorize, recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import { can } from '../../access/policy.js';
import type { AccountResource } from './accounts.policy.js';
import type { Role } from '../../access/roles.js';
import { now } from '../../clock.js';
import { isDuplicateKey } from '../../db/errors.js';
import { KDF_ITERATIONS, KDF_SALT_BYTES } from '../../crypto/kdf.js';
import { AppError, badRequest, notFound } from '../../errors.js';
import type { SocketTerminator } from '../../realtime/terminator.js';
import type { SessionStore } from '../../sessions/session.service.js';
import { agenciesByIds, unitById, unitsByIds, type AgencyDocument, type UnitDocument } from '../organisation/organisation.lookups.js';
import { findAgency } from '../organisation/organisation.service.js';
import { accountChanged } from './account-events.js';
import { Account, type AccountDocument, type AccountStatus } from './account.model.js';
import type { AccountAction, CreateAccountInput } from './accounts.schema.js';
import { presentAccount, type AccountView } from './accounts.presenter.js';

/**
 * Issues an account's one-time enrolment link (the auth module does, above this one: it is
 * handed in when the services are built, so that accounts does not import auth).
 */
export interface EnrolmentLinks {
  issue(accountId: string): Promise<{ token: string; expiresAt: Date }>;
}

/** A new account with the one-time token of its enrolment link. */
export interface CreatedAccount {
  readonly account: AccountView;
  readonly enrolment: { readonly token: string; readonly expiresAt: Date };
}

/** The policy's view of an existing account. */
async function accountResource(account: AccountDocument): Promise<AccountResource> {
  const agency = await findAgency(String(account.agency));
  return {
    kind: 'account',
    accountId: String(account._id),
    role: account.role,
    agencyId: String(agency._id),
    agencyType: agency.type,
    unitId: account.unit ? String(account.unit) : undefined,
  };
}

/** Checks that a role fits its home: UOs belong to a unit of the agency, nobody else to a unit. */
function checkHome(role: Role, agency: AgencyDocument, unit: UnitDocument | undefined): void {
  if (role === 'uo' && !unit) throw badRequest('A unit officer needs a unit.', [{ field: 'unitId', message: 'Choose the unit.' }]);
  if (role !== 'uo' && unit) throw badRequest('Only unit officers belong to a unit.', [{ field: 'unitId', message: 'Leave empty for this role.' }]);
  if (unit && String(unit.agency) !== String(agency._id)) {
    throw badRequest('That unit belongs to another agency.', [{ field: 'unitId', message: 'Choose a unit of this agency.' }]);
  }
  if ((role === 'ncb-admin' || role === 'ncb-officer' || role === 'auditor') && agency.type !== 'ncb') {
    throw badRequest('This role belongs to the CBI.', [{ field: 'agencyId', message: 'Choose the CBI.' }]);
  }
  if ((role === 'ilo' || role === 'uo') && agency.type === 'ncb') {
    throw badRequest('ILOs and unit officers belong to an agency, not the CBI.', [{ field: 'agencyId', message: 'Choose an agency.' }]);
  }
}

/** Onboarding and administration of accounts, each step checked against the actor's scope. */
export class AccountsService {
  constructor(
    private readonly sessions: SessionStore,
    private readonly sockets: SocketTerminator,
    private readonly enrolment: EnrolmentLinks,
  ) {}

  /** Creates an invited account and its enrolment link. */
  async create(context: AuthorizeContext, input: CreateAccountInput): Promise<CreatedAccount> {
    const agency = await findAgency(input.agencyId);
    const unit = input.unitId ? await unitById(input.unitId) : undefined;
    if (input.unitId && !unit) throw notFound('unit');
    await authorize(context, 'account:create', {
      kind: 'account',
      role: input.role,
      agencyId: String(agency._id),
      agencyType: agency.type,
      unitId: unit ? String(unit._id) : undefined,
    });
    checkHome(input.role, agency, unit ?? undefined);

    let created: AccountDocument;
    try {
      const document = await Account.create({
        username: input.username,
        displayName: input.displayName,
        designation: input.designation,
        email: input.email,
        phone: input.phone,
        role: input.role,
        agency: agency._id,
        unit: unit?._id,
        status: 'invited',
        kdfSalt: randomBytes(KDF_SALT_BYTES).toString('base64url'),
        kdfIterations: KDF_ITERATIONS,
        createdBy: context.actor.userId,
      });
      created = document.toObject();
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new AppError(409, 'username-taken', `The username ${input.username} is already in use.`, [
          { field: 'username', message: 'Choose another username.' },
        ]);
      }
      throw error;
    }
    const enrolment = await this.enrolment.issue(String(created._id));
    await recordSuccess(context, 'account.created', { type: 'account', id: String(created._id), label: created.username }, { role: input.role });
    return { account: await this.#present(created), enrolment };
  }

  /**
   * Locks, unlocks, disables or re-enrols an account in the actor's scope. Locking, disabling and
   * re-enrolling end the account's sessions and close its sockets at once. Re-enrolling clears
   * its password and MFA and returns a new enrolment token.
   */
  async act(
    context: AuthorizeContext,
    accountId: string,
    action: AccountAction,
  ): Promise<{ account: AccountView; enrolment?: { token: string; expiresAt: Date } }> {
    const account = mongoose.isValidObjectId(accountId) ? await Account.findById(accountId).lean<AccountDocument>() : null;
    if (!account) throw notFound('account');
    await authorize(context, 'account:manage', await accountResource(account));

    const transitions: Record<AccountAction, { from: AccountStatus[]; update: Record<string, unknown> }> = {
      lock: { from: ['active'], update: { $set: { status: 'locked', lockedAt: now(), lockReason: 'administrator' } } },
      unlock: {
        from: ['locked'],
        update: { $set: { status: 'active', failedSignIns: 0 }, $unset: { lockedAt: 1, lockReason: 1, failureWindowStartedAt: 1 } },
      },
      disable: { from: ['invited', 'active', 'locked'], update: { $set: { status: 'disabled', disabledAt: now() } } },
      're-enrol': {
        from: ['invited', 'active', 'locked', 'disabled'],
        update: {
          $set: { status: 'invited', kdfSalt: randomBytes(KDF_SALT_BYTES).toString('base64url'), totpLastStep: -1, failedSignIns: 0 },
          $unset: { signInHash: 1, totpSealed: 1, lockedAt: 1, lockReason: 1, disabledAt: 1 },
        },
      },
    };
    const transition = transitions[action];
    const changed = await Account.updateOne(
      { _id: account._id, status: mongoose.trusted({ $in: transition.from }) },
      transition.update,
    );
    if (changed.modifiedCount !== 1) {
      throw new AppError(409, 'account-state-conflict', `This account is ${account.status}; it cannot be ${pastTense[action]} now.`);
    }
    await accountChanged({ accountId: String(account._id), change: action });
    if (action !== 'unlock') {
      await this.sessions.destroyAllFor(String(account._id));
      this.sockets.endAccount(String(account._id));
    }
    const enrolment = action === 're-enrol' ? await this.enrolment.issue(String(account._id)) : undefined;
    await recordSuccess(context, `account.${action}`, { type: 'account', id: String(account._id), label: account.username });
    const updated = await Account.findById(account._id).lean<AccountDocument>();
    return { account: await this.#present(updated ?? account), ...(enrolment ? { enrolment } : {}) };
  }

  /** The accounts of one agency that the actor may manage or read, with their status. */
  async listForAgency(context: AuthorizeContext, agencyId: string): Promise<AccountView[]> {
    const agency = await findAgency(agencyId);
    const accounts = await Account.find({ agency: agency._id }).sort({ role: 1, displayName: 1 }).limit(500).lean<AccountDocument[]>();
    const visible: AccountDocument[] = [];
    for (const account of accounts) {
      if (can(context.actor, 'account:read', await accountResource(account))) visible.push(account);
    }
    return this.#presentMany(visible);
  }

  /** One account, if the actor may read it. */
  async get(context: AuthorizeContext, accountId: string): Promise<AccountView> {
    const account = mongoose.isValidObjectId(accountId) ? await Account.findById(accountId).lean<AccountDocument>() : null;
    if (!account) throw notFound('account');
    await authorize(context, 'account:read', await accountResource(account));
    return this.#present(account);
  }

  async #present(account: AccountDocument): Promise<AccountView> {
    return (await this.#presentMany([account]))[0] as AccountView;
  }

  async #presentMany(accounts: AccountDocument[]): Promise<AccountView[]> {
    const agencyIds = [...new Set(accounts.map((account) => String(account.agency)))];
    const unitIds = [...new Set(accounts.flatMap((account) => (account.unit ? [String(account.unit)] : [])))];
    const [agencies, units] = await Promise.all([
      agenciesByIds(agencyIds),
      unitsByIds(unitIds),
    ]);
    const agencyMap = new Map(agencies.map((agency) => [String(agency._id), agency]));
    const unitMap = new Map(units.map((unit) => [String(unit._id), unit]));
    return accounts.map((account) => presentAccount(account, agencyMap, unitMap));
  }
}

const pastTense: Record<AccountAction, string> = {
  lock: 'locked',
  unlock: 'unlocked',
  disable: 'disabled',
  're-enrol': 're-enrolled',
};
