import type { Role } from '../access/roles.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Logger } from '../logger.js';
import { Agency, Unit } from '../modules/organisation/organisation.model.js';
import { AGENCIES, CBI, unitsOf } from './catalogue.js';
import { createEnrolledAccount } from './provision.js';
import { seedDemoResources } from './resources.js';

/** The demo accounts' shared password (listed in the README; development only). */
export const DEMO_PASSWORD = 'saffron kite harbour 42';
/** The demo accounts' shared TOTP seed: `npm run demo:code` prints its current code. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPBHARATPOLDEMO234';

interface DemoAccount {
  readonly username: string;
  readonly displayName: string;
  readonly designation: string;
  readonly role: Role;
  /** Agency code; the unit code for unit officers. */
  readonly agency: string;
  readonly unit?: string;
}

/** One account per role, and a few ILOs and unit officers of three agencies, so every path can be tried. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'cbi.admin', displayName: 'Anita Deshmukh', designation: 'Superintendent of Police, Interpol Wing', role: 'ncb-admin', agency: 'CBI' },
  { username: 'cbi.officer', displayName: 'Rahul Verma', designation: 'Deputy Superintendent of Police, NCB New Delhi', role: 'ncb-officer', agency: 'CBI' },
  { username: 'cbi.auditor', displayName: 'Meera Iyer', designation: 'Vigilance Officer', role: 'auditor', agency: 'CBI' },
  { username: 'academy.trainer', displayName: 'Priya Sharma', designation: 'Faculty, CBI Academy Ghaziabad', role: 'trainer', agency: 'CBI' },
  { username: 'ilo.mh', displayName: 'Vikram Patil', designation: 'DIG (Crime), ILO Maharashtra', role: 'ilo', agency: 'MHPOL' },
  { username: 'ilo.dl', displayName: 'Sunita Rawat', designation: 'DCP, ILO Delhi Police', role: 'ilo', agency: 'DLPOL' },
  { username: 'ilo.nia', displayName: 'Farhan Qureshi', designation: 'Superintendent of Police, ILO NIA', role: 'ilo', agency: 'NIA' },
  { username: 'uo.mh.pune', displayName: 'Sanjay Kulkarni', designation: 'DCP (Crime), Pune City', role: 'uo', agency: 'MHPOL', unit: 'MHPOL-PUNE-CITY' },
  { username: 'uo.mh.cyber', displayName: 'Neha Joshi', designation: 'Superintendent of Police, Cyber', role: 'uo', agency: 'MHPOL', unit: 'MHPOL-CYBER' },
  { username: 'uo.dl.crime', displayName: 'Amit Tomar', designation: 'ACP, Crime Branch', role: 'uo', agency: 'DLPOL', unit: 'DLPOL-CB' },
  { username: 'uo.nia.mumbai', displayName: 'Kavya Reddy', designation: 'Inspector, NIA Mumbai', role: 'uo', agency: 'NIA', unit: 'NIA-MUMBAI' },
];

/**
 * Loads the demo organisation (CBI, 51 agencies, 508 units) and the demo accounts into an empty
 * database. Does nothing if any agency exists, so it never touches real data.
 */
export async function seedDemoDataIfEmpty(sealer: Sealer, logger: Logger): Promise<boolean> {
  if ((await Agency.estimatedDocumentCount()) > 0) return false;
  const started = Date.now();
  const agencyIds = new Map<string, string>();
  for (const agency of [CBI, ...AGENCIES]) {
    const created = await Agency.create({ code: agency.code, name: agency.name, type: agency.type, region: agency.region });
    agencyIds.set(agency.code, String(created._id));
  }
  const units = AGENCIES.flatMap((agency) => unitsOf(agency).map((unit) => ({ ...unit, agency: agencyIds.get(agency.code) })));
  const createdUnits = await Unit.insertMany(units);
  const unitIds = new Map(createdUnits.map((unit) => [unit.code, String(unit._id)]));

  for (const account of DEMO_ACCOUNTS) {
    await createEnrolledAccount(
      {
        ...account,
        agencyId: agencyIds.get(account.agency) ?? '',
        unitId: account.unit ? unitIds.get(account.unit) : undefined,
        email: `${account.username}@demo.bharatpol.invalid`,
        password: DEMO_PASSWORD,
        totpSecret: DEMO_TOTP_SECRET,
        withKey: true,
        // Before the demo references' history (server/demo/references.ts), which they sign.
        keyCreatedAt: new Date(Date.now() - 365 * 86_400_000),
      },
      sealer,
    );
  }
  await seedDemoResources('academy.trainer');
  logger.info(
    { agencies: agencyIds.size, units: createdUnits.length, accounts: DEMO_ACCOUNTS.length, ms: Date.now() - started },
    'demo data loaded',
  );
  return true;
}
