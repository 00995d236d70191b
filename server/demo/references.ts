/**
 * Demo INTERPOL references: the demo agencies' references going abroad and foreign references
 * coming in, in every state, made over the last five months. Each step is taken through the API
 * by the demo officer whose desk it is (server/demo/demo-officers.ts) while the portal's clock is
 * moved through those months, so the desks' clocks, deadlines, overdue marks and signed
 * timelines are what officers would have made. Development only, once, on the first start of an
 * empty database, against a server of its own on a loopback port before the portal listens.
 */
import { now } from '../clock.js';
import type { DemoStory } from './demo-desks.js';

/** An outgoing reference's plain facts (its FIR, the countries asked, the kind of help, urgency). */
function outgoing(fir: string, station: string, countries: [string, string][], assistance: string, crimeArea: string, priority = 'routine', handling: { code: string; restrictions?: string } = { code: 'H1' }) {
  return {
    countries: countries.map(([country, ncb]) => ({ country, ncb })),
    assistance,
    case: { fir, policeStation: station, sections: crimeArea === 'cyber-crime' ? '66C, 66D IT Act; 420 IPC' : '420, 467, 471 IPC', registeredOn: '2026-06-14' },
    crimeArea,
    priority,
    handling,
    grading: { source: 'B', information: '2' },
  };
}

/** A foreign reference's plain facts as received. */
function incoming(country: string, ncb: string, reference: string, assistance: string, crimeArea: string, priority = 'routine') {
  return { foreign: { country, ncb, reference, receivedOn: now().toISOString().slice(0, 10) }, assistance, crimeArea, priority, handling: { code: 'H2' }, grading: { source: 'A', information: '2' } };
}

export const demoReferences: DemoStory = {
  name: 'references',
  async tell({ officer, agencies, units, groups, pass }) {
    const { mh, dl, nia } = agencies;
    const desk = officer('cbi.officer').references;
    const partOf = async (parent: string, agency: string): Promise<string> => {
      for (const part of (await officer('cbi.officer').get<{ parts: string[] }>(`/api/references/${parent}`)).parts) {
        if ((await officer('cbi.officer').get<{ agencyId: string }>(`/api/references/${part}`)).agencyId === agency) return part;
      }
      throw new Error('no part for that agency');
    };

    // 1. Pune's cheating case, asked of Thailand and Singapore: Thailand answered, Singapore not yet (abroad, partly answered).
    const pune = officer('uo.mh.pune').references;
    const first = await pune.draft(groups.pune, outgoing('412/2026', 'Shivajinagar', [['Thailand', 'NCB Bangkok'], ['Singapore', 'NCB Singapore']], 'locate-person', 'economic-fraud', 'urgent'), 'Locate Ravi Kulkarni (DOB 12.03.1984, passport Z1234567), accused of cheating investors of ₹4.2 crore; last seen in Bangkok, may have moved to Singapore.');
    pass(0, 3);
    await pune.handOn(first.id, 'submit', 'Passport details verified with RPO Pune.');
    pass(0, 20);
    await officer('ilo.mh').references.handOn(first.id, 'forward', 'Case is genuine; recommended.');
    pass(1, 2);
    await desk.transmit(first.id, [{ country: 'Thailand', reference: '2026/1873-TH' }, { country: 'Singapore', reference: '2026/1874-SG' }]);
    pass(9);
    await desk.recordReply(first.id, 'Thailand', 'Subject entered Thailand on 02.07.2026 and left for Singapore on 19.07.2026 (immigration records). No current address in Thailand.');

    // 2. The Cyber Cell's sextortion case, answered by the USA and closed by the unit.
    pass(6);
    const cyber = officer('uo.mh.cyber').references;
    const second = await cyber.draft(groups.cyber, outgoing('88/2026', 'Cyber Police Station, Mumbai', [['United States', 'NCB Washington']], 'subscriber-details', 'cyber-crime', 'routine', { code: 'H2' }), 'Subscriber details and login IPs of the Instagram account @fast.loans.help used to extort 14 victims in Mumbai, May–June 2026.');
    pass(0, 5);
    await cyber.handOn(second.id, 'submit');
    pass(1);
    await officer('ilo.mh').references.handOn(second.id, 'forward');
    pass(2);
    await desk.transmit(second.id, [{ country: 'United States', reference: '2026/2210-US', medium: 'email' }]);
    pass(18);
    await desk.recordReply(second.id, 'United States', 'Meta Platforms Inc. disclosed: account created 11.04.2026 from an IP allocated to a Jamtara (Jharkhand) mobile subscriber; login IPs attached to the provider letter.');
    pass(2);
    await cyber.close(second.id, 'close', 'Accused traced in Jharkhand; arrested 02.09.2026.');

    // 3. Delhi Crime Branch's reference returned for correction (back at the unit as a draft).
    pass(5);
    const dlCrime = officer('uo.dl.crime').references;
    const third = await dlCrime.draft(groups.dlCrime, outgoing('301/2026', 'Crime Branch, Chanakyapuri', [['United Arab Emirates', 'NCB Abu Dhabi']], 'financial-information', 'economic-fraud'), 'Bank account details of Gulf Star Trading LLC, Dubai, which received ₹1.1 crore from the victims.');
    pass(0, 4);
    await dlCrime.handOn(third.id, 'submit');
    pass(1);
    await officer('ilo.dl').references.judge(third.id, 'return', 'Attach the bank statements showing the transfers, and give the account number in Dubai.');

    // 4. Rejected at the ILO: the matter is civil.
    pass(3);
    const fourth = await dlCrime.draft(groups.dlCrime, outgoing('17/2026', 'Crime Branch, Chanakyapuri', [['Nepal', 'NCB Kathmandu']], 'witness-statement', 'other'), 'Statement of a witness to a property dispute, now living in Kathmandu.');
    await dlCrime.handOn(fourth.id, 'submit');
    pass(2);
    await officer('ilo.dl').references.judge(fourth.id, 'reject', 'A civil dispute: not a matter for INTERPOL channels.');

    // 5. A foreign reference from the UAE, forwarded to Maharashtra and Delhi, worked by a unit and answered abroad.
    pass(4);
    const uae = await desk.register(incoming('United Arab Emirates', 'NCB Abu Dhabi', '2026/AD/5531', 'locate-person', 'narcotics', 'urgent'), 'Locate Imran S. (Indian passport P7654321), wanted in Dubai for trafficking 4 kg of methamphetamine; believed to be in Pune or Delhi.');
    pass(0, 6);
    await desk.forwardToAgencies(uae.id, [mh, dl], 'Please verify both addresses on record.');
    pass(1);
    const uaeMh = await partOf(uae.id, mh);
    await officer('ilo.mh').references.assign(uaeMh, units.pune, 'Check the Kondhwa address.');
    pass(2);
    await pune.report(uaeMh, groups.pune, 'Address in Kondhwa verified on 14.08: the subject lived there until March 2026; landlord’s statement recorded. Present whereabouts unknown.');
    pass(0, 8);
    await officer('ilo.mh').references.approve(uaeMh, 'Report approved.');
    pass(1);
    const uaeDl = await partOf(uae.id, dl);
    await officer('ilo.dl').references.report(uaeDl, groups.dl, 'No trace of the subject in Delhi Police records or at the Jamia Nagar address given.');
    pass(1);
    await desk.replyAbroad(uae.id, 'United Arab Emirates', '2026/AD/5531/R1', { comment: 'Both agencies’ findings sent.' });

    // 6. NIA's unit officer waits on its ILO, long past the deadline.
    pass(6);
    const niaMumbai = officer('uo.nia.mumbai').references;
    const sixth = await niaMumbai.draft(groups.niaMumbai, outgoing('RC-07/2026/NIA/MUM', 'NIA Mumbai', [['Germany', 'NCB Wiesbaden']], 'criminal-record', 'terrorism', 'urgent', { code: 'H3', restrictions: 'Not to be shared with the subject’s employer or any third country without NCB Wiesbaden’s consent.' }), 'Criminal record and travel history of a German national linked to a funding network under investigation.');
    await niaMumbai.handOn(sixth.id, 'submit');

    // 7. A foreign reference from Nepal, at NIA's ILO; 8. one from Australia with the Cyber Cell; 9. one only registered.
    pass(12);
    const nepal = await desk.register(incoming('Nepal', 'NCB Kathmandu', 'NCB-KTM/2026/912', 'identity-verification', 'migrant-trafficking'), 'Verify the identity documents of 6 Indian nationals held in Kathmandu with forged visas for Europe.');
    pass(0, 3);
    await desk.forwardToAgencies(nepal.id, [nia]);
    pass(8);
    const australia = await desk.register(incoming('Australia', 'NCB Canberra', 'AU-2026-00417', 'subscriber-details', 'cyber-crime', 'urgent'), 'Subscriber details of the Indian numbers used in a romance scam against 31 Australian victims.');
    pass(0, 2);
    await desk.forwardToAgencies(australia.id, [mh]);
    pass(0, 5);
    await officer('ilo.mh').references.assign(await partOf(australia.id, mh), units.cyber, 'Urgent: the victims’ bank holds the funds for 30 days.');
    pass(20);
    await desk.register(incoming('Germany', 'NCB Wiesbaden', 'BKA-2026-IP-3381', 'asset-tracing', 'economic-fraud'), 'Trace property in Goa bought with the proceeds of a VAT carousel fraud in Germany.');
    const reminded = await desk.register(incoming('Italy', 'NCB Rome', 'SCIP-2026-7710', 'locate-person', 'organised-crime'), 'Locate an Italian fugitive believed to be in Goa.');
    await desk.forwardToAgencies(reminded.id, [mh]);
    pass(9);
    await desk.foreignReminder(reminded.id, 'NCB Rome asks for an update (their letter of this date).');

    // 10. Maharashtra's ILO's own reference, at the CBI; 11. a UK one answered and back with Pune; 12. a draft.
    pass(5);
    const own = officer('ilo.mh').references;
    const tenth = await own.draft(groups.mh, outgoing('MH-ILO/44/2026', 'State CID, Pune', [['Canada', 'NCB Ottawa']], 'locate-person', 'organised-crime'), 'Locate a gangster wanted in 3 extortion cases in Mumbai, believed in Brampton, Ontario.');
    await own.handOn(tenth.id, 'submit');
    pass(3);
    const eleventh = await pune.draft(groups.pune, outgoing('518/2026', 'Kothrud', [['United Kingdom', 'NCB Manchester']], 'identity-verification', 'economic-fraud'), 'Verify the UK passport used to open 3 bank accounts in Pune.');
    await pune.handOn(eleventh.id, 'submit');
    pass(0, 6);
    await officer('ilo.mh').references.handOn(eleventh.id, 'forward');
    pass(1);
    await desk.transmit(eleventh.id, [{ country: 'United Kingdom', reference: '2026/3391-UK' }]);
    pass(10);
    await desk.recordReply(eleventh.id, 'United Kingdom', 'HM Passport Office: the passport was reported stolen in 2024; the holder has never travelled to India.');
    pass(2);
    await pune.draft(groups.pune, outgoing('602/2026', 'Hinjewadi', [['Hong Kong', 'NCB Hong Kong']], 'financial-information', 'cyber-crime'), 'Beneficiaries of transfers to a Hong Kong account from a fake trading app (draft: amounts being reconciled).');
  },
};
