import { randomBytes } from 'node:crypto';
import { advanceClockForTests, nowMs } from '../../server/clock.js';
import type { Role } from '../../server/access/roles.js';
import { createEnrolledAccount } from '../../server/demo/provision.js';
import type { AccountDocument } from '../../server/modules/accounts/account.model.js';
import { newTotpSecret } from '../../server/modules/auth/totp.js';
import { Agency, Unit, type AgencyDocument, type UnitDocument } from '../../server/modules/organisation/organisation.model.js';
import type { Portal } from '../../server/portal.js';
import { PortalClient, totpCode, type Answer } from './client.js';

/** A short random tag, so each test's names and codes are its own. */
export const tag = (): string => randomBytes(3).toString('hex').toUpperCase();

/** PBKDF2 iterations for test accounts: the real derivation, fewer rounds, so tests stay quick. */
const TEST_KDF_ITERATIONS = 1_000;
export const TEST_PASSWORD = 'amber lantern quarry 77';

/** The CBI: there is one per portal, created by the first test that needs it. */
export async function theCbi(): Promise<AgencyDocument> {
  const existing = await Agency.findOne({ type: 'ncb' }).lean<AgencyDocument>();
  if (existing) return existing;
  return (await Agency.create({ code: 'CBI', name: 'Central Bureau of Investigation', type: 'ncb' })).toObject();
}

/** A new agency (state police by default) with a unique code. */
export async function makeAgency(type: 'state' | 'union-territory' | 'central' = 'state'): Promise<AgencyDocument> {
  const code = `T${tag()}`;
  return (await Agency.create({ code, name: `Test Police ${code}`, type, region: `Region ${code}` })).toObject();
}

/** A new unit of `agency`. */
export async function makeUnit(agency: AgencyDocument, name = `Unit ${tag()}`): Promise<UnitDocument> {
  const code = `${agency.code}-${tag()}`;
  return (await Unit.create({ agency: agency._id, code, name, kind: 'district', city: name })).toObject();
}

/** An enrolled officer of a test, with what is needed to sign in as them. */
export interface Officer {
  readonly account: AccountDocument;
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
  /** Signs in through the API and returns the signed-in client. */
  signIn(): Promise<PortalClient>;
  /** A fresh code that has not been used yet (moves the test clock to the next step if needed). */
  freshCode(): Promise<string>;
}

/** Creates an enrolled officer of `role` at `agency` (and `unit`, for unit officers). */
export async function makeOfficer(
  portal: Portal,
  role: Role,
  agency: AgencyDocument,
  unit?: UnitDocument,
  displayName = `Officer ${tag()}`,
  options: { withKey?: boolean } = {},
): Promise<Officer> {
  const username = `t.${role}.${tag().toLowerCase()}`;
  const totpSecret = newTotpSecret();
  const account = await createEnrolledAccount(
    {
      username,
      displayName,
      role,
      agencyId: String(agency._id),
      unitId: unit ? String(unit._id) : undefined,
      password: TEST_PASSWORD,
      totpSecret,
      kdfIterations: TEST_KDF_ITERATIONS,
      withKey: options.withKey ?? false,
    },
    portal.services.sealer,
  );
  let lastStep = -1;
  const freshCode = async (): Promise<string> => {
    while (Math.floor(nowMs() / 30_000) <= lastStep) advanceClockForTests(30_000);
    lastStep = Math.floor(nowMs() / 30_000);
    return totpCode(totpSecret);
  };
  return {
    account,
    username,
    password: TEST_PASSWORD,
    totpSecret,
    freshCode,
    async signIn() {
      const client = new PortalClient(portal.url);
      const answer: Answer = await client.signIn(username, TEST_PASSWORD, await freshCode());
      if (answer.status !== 200) throw new Error(`sign-in of ${username} failed: ${JSON.stringify(answer.body)}`);
      return client;
    },
  };
}
