/**
 * The stage the demo's request history is made on: the portal's app served on a loopback port of
 * its own (before the portal listens), the demo officers signed in to it once (each unlocks their
 * key through the API, which counts towards the sign-in rate limit), and for each story the
 * portal's clock moved back five months to be walked forward as it goes, then put back to real time.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { advanceClockForTests, resetClockForTests } from '../clock.js';
import type { Logger } from '../logger.js';
import { Account } from '../modules/accounts/account.model.js';
import { Agency, Unit } from '../modules/organisation/organisation.model.js';
import type { SessionStore } from '../sessions/session.service.js';
import { demoOfficer, type DemoOfficer } from './demo-officers.js';
import { DEMO_PASSWORD } from './seed.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** How far back the demo's history starts. */
const HISTORY_DAYS = 150;

/** The demo desks: their officers, their agencies' and units' ids, and their groups' names. */
export interface DemoDesks {
  readonly officer: (username: string) => DemoOfficer;
  readonly agencies: { readonly mh: string; readonly dl: string; readonly nia: string };
  readonly units: { readonly pune: string; readonly cyber: string; readonly dlCrime: string; readonly niaMumbai: string };
  readonly groups: Readonly<Record<'desk' | 'mh' | 'dl' | 'nia' | 'pune' | 'cyber' | 'dlCrime' | 'niaMumbai', string>>;
  /** Moves the portal's clock on. */
  readonly pass: (days: number, hours?: number) => void;
}

const USERNAMES = ['cbi.officer', 'cbi.admin', 'ilo.mh', 'ilo.dl', 'ilo.nia', 'uo.mh.pune', 'uo.mh.cyber', 'uo.dl.crime', 'uo.nia.mumbai'];

/** A part of the demo's history (References', Notices'), told from the start of the history. */
export interface DemoStory {
  readonly name: string;
  tell(desks: DemoDesks): Promise<void>;
}

/** Tells each story on the stage, the clock at the start of the history for each; always puts the clock back. */
export async function onDemoStage(app: Express, sessions: SessionStore, logger: Logger, stories: readonly DemoStory[]): Promise<void> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const toTheStart = (): void => {
    resetClockForTests();
    advanceClockForTests(-HISTORY_DAYS * DAY);
  };
  toTheStart();
  try {
    const people = new Map<string, DemoOfficer>();
    for (const username of USERNAMES) {
      const account = await Account.findOne({ username }).lean();
      if (!account) throw new Error(`demo account ${username} missing`);
      people.set(username, await demoOfficer(baseUrl, sessions, { id: String(account._id), username }, DEMO_PASSWORD));
    }
    const agencyId = async (code: string): Promise<string> => String((await Agency.findOne({ code }).lean())!._id);
    const unitId = async (code: string): Promise<string> => String((await Unit.findOne({ code }).lean())!._id);
    const agencies = { mh: await agencyId('MHPOL'), dl: await agencyId('DLPOL'), nia: await agencyId('NIA') };
    const units = { pune: await unitId('MHPOL-PUNE-CITY'), cyber: await unitId('MHPOL-CYBER'), dlCrime: await unitId('DLPOL-CB'), niaMumbai: await unitId('NIA-MUMBAI') };
    const groups = {
      desk: 'ncb-desk',
      mh: `agency-ilos:${agencies.mh}`,
      dl: `agency-ilos:${agencies.dl}`,
      nia: `agency-ilos:${agencies.nia}`,
      pune: `unit:${units.pune}`,
      cyber: `unit:${units.cyber}`,
      dlCrime: `unit:${units.dlCrime}`,
      niaMumbai: `unit:${units.niaMumbai}`,
    };
    const officer = (username: string): DemoOfficer => {
      const found = people.get(username);
      if (!found) throw new Error(`no demo officer ${username}`);
      return found;
    };
    // Each desk's group key, made by its first officer as on a first sign-in (kept if it exists).
    const owners: [string, string][] = [
      ['cbi.officer', groups.desk],
      ['ilo.mh', groups.mh],
      ['ilo.dl', groups.dl],
      ['ilo.nia', groups.nia],
      ['uo.mh.pune', groups.pune],
      ['uo.mh.cyber', groups.cyber],
      ['uo.dl.crime', groups.dlCrime],
      ['uo.nia.mumbai', groups.niaMumbai],
    ];
    for (const [username, group] of owners) await officer(username).keyring.keys(group, { refresh: true });
    for (const story of stories) {
      const started = Date.now();
      toTheStart();
      await story.tell({ officer, agencies, units, groups, pass: (days, hours = 0) => advanceClockForTests(days * DAY + hours * HOUR) });
      logger.info({ ms: Date.now() - started }, `demo ${story.name} made`);
    }
  } finally {
    resetClockForTests();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
