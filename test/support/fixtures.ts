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

/** What an agency of a test holds: officers by name, in the order asked. */
export interface AgencySpec {
  readonly type?: 'state' | 'union-territory' | 'central';
  /** Display names of its ILOs. */
  readonly ilos?: readonly string[];
  /** Its units, each with the display names of its unit officers (and a name, else a random one). */
  readonly units?: readonly { readonly name?: string; readonly officers: readonly string[] }[];
}

/** An agency built for a test, with its units and officers. */
export interface AgencyFixture {
  readonly agency: AgencyDocument;
  readonly units: UnitDocument[];
  readonly ilos: Officer[];
  /** Unit officers, unit by unit, in the order asked. */
  readonly uos: Officer[];
  /** An officer of the agency by display name. */
  officer(displayName: string): Officer;
}

/**
 * The agency, units and officers set-up most tests start from, in one call:
 * `await agencyWith(portal, { ilos: ['ILO'], units: [{ officers: ['UO A'] }] }, { withKey: true })`.
 */
export async function agencyWith(portal: Portal, spec: AgencySpec, options: { withKey?: boolean } = {}): Promise<AgencyFixture> {
  const agency = await makeAgency(spec.type);
  const byName = new Map<string, Officer>();
  const enrol = async (role: Role, name: string, unit?: UnitDocument): Promise<Officer> => {
    const officer = await makeOfficer(portal, role, agency, unit, name, options);
    byName.set(name, officer);
    return officer;
  };
  const ilos: Officer[] = [];
  for (const name of spec.ilos ?? []) ilos.push(await enrol('ilo', name));
  const units: UnitDocument[] = [];
  const uos: Officer[] = [];
  for (const unitSpec of spec.units ?? []) {
    const unit = await makeUnit(agency, unitSpec.name);
    units.push(unit);
    for (const name of unitSpec.officers) uos.push(await enrol('uo', name, unit));
  }
  return {
    agency,
    units,
    ilos,
    uos,
    officer(displayName) {
      const officer = byName.get(displayName);
      if (!officer) throw new Error(`no officer named ${displayName} in this agency`);
      return officer;
    },
  };
}

/** Officers of the CBI (desk officers, administrators, trainers, auditors), by role and display name. */
export async function cbiOfficers(portal: Portal, people: readonly { role: Role; name?: string }[], options: { withKey?: boolean } = {}): Promise<Officer[]> {
  const cbi = await theCbi();
  const officers: Officer[] = [];
  for (const person of people) officers.push(await makeOfficer(portal, person.role, cbi, undefined, person.name, options));
  return officers;
}
