/**
 * Demo notice requests: the demo agencies' requests for notices and diffusions, of several kinds,
 * in every state (drafted, returned, at the ILO, at the CBI, with the General Secretariat,
 * published, refused, circulated, withdrawn, suspended, rejected), made over the last five months
 * through the API by the demo officers, with their photographs (stand-in silhouettes) encrypted,
 * the pre-submission check signed, each desk's decision signed. Once made, the CBI's training
 * requirement is switched on, as the demo shows it (the officers who drafted have attended).
 */
import { now } from '../clock.js';
import type { NoticeEnvelope, NoticeMetadata } from '../crypto/notice-client.js';
import type { NoticeKind, RequestType } from '../shared/notices/kinds.js';
import type { DemoDesks, DemoStory } from './demo-desks.js';
import { DEMO_PEOPLE, person, red } from './notice-contents.js';
import { portraitPng } from './portrait.js';
import { DEMO_NOTICE_COURSE } from './resources.js';

/** The day `days` before the portal's clock (the demo walks it through months), as a form has it. */
const ago = (days: number): string => new Date(now().getTime() - days * 86_400_000).toISOString().slice(0, 10);

const TINTS: readonly (readonly [number, number, number])[] = [
  [214, 208, 194],
  [200, 214, 222],
  [222, 206, 206],
  [205, 220, 205],
];

export const demoNotices: DemoStory = {
  name: 'notice requests',
  async tell(desks) {
    const { officer, groups, pass } = desks;
    let photographs = 0;
    /** Drafts a request at `username`'s desk (`group`), with a photograph when `photo`. */
    const draft = async (username: string, group: string, kind: NoticeKind, type: RequestType, metadata: NoticeMetadata, content: unknown, photo = true): Promise<string> => {
      const author = officer(username);
      const files = photo ? [{ name: `photograph-${kind}.png`, type: 'image/png' }] : [];
      const attachments = photo ? [await author.upload(group, files[0]!.name, 'image/png', portraitPng(TINTS[(photographs += 1) % TINTS.length]!))] : [];
      const envelope: NoticeEnvelope = { kind, type, content, files };
      return (await author.notices.draft(group, metadata, envelope, attachments)).id;
    };
    const cbi = officer('cbi.officer').notices;
    const { ravi, salim, pooja, dev, arif } = DEMO_PEOPLE;

    // 1. Pune's Red notice for Ravi Kulkarni: through the ILO and the CBI, published.
    const first = await draft('uo.mh.pune', groups.pune, 'red', 'notice', { crimeArea: 'economic-fraud', priority: 'urgent' }, red(ravi, { name: 'Cheating and dishonestly inducing delivery of property', law: 'IPC s. 420 read with s. 120B', months: 84, on: ago(230), place: 'Pune' }, 'The subject ran a fake export-finance scheme from Shivajinagar, Pune, taking deposits of ₹4.2 crore from 312 investors, and left India for Bangkok before the FIR was registered.', { reference: 'NBW 412/2026', authority: 'Judicial Magistrate First Class, Shivajinagar, Pune', issuedOn: ago(3) }, ['Thailand', 'Singapore']));
    pass(0, 2);
    await officer('uo.mh.pune').notices.submit(first, 'Passport details verified with RPO Pune.');
    pass(1);
    await officer('ilo.mh').notices.decide(first, { decision: 'forward', comment: 'Recommended: warrant and thresholds verified.' });
    pass(1, 4);
    await cbi.decide(first, { decision: 'send-to-gs', reference: 'NCB-ND/RN/2026/0412' });
    pass(12);
    await cbi.decide(first, { decision: 'publish', noticeNumber: 'A-4127/8-2026' });

    // 2. Delhi Crime Branch's Red request, returned by the ILO for the warrant's validity (a draft again).
    pass(4);
    const second = await draft('uo.dl.crime', groups.dlCrime, 'red', 'notice', { crimeArea: 'organised-crime', priority: 'routine' }, red(salim, { name: 'Extortion by an organised crime syndicate', law: 'MCOCA-equivalent: Delhi, IPC s. 386, 120B', months: 120, on: ago(150), place: 'Delhi' }, 'The subject heads a syndicate that extorted builders in South Delhi through threats from abroad; 11 FIRs; he directs the gang from Dubai using internet calls.', { reference: 'NBW 88/2026', authority: 'Additional Sessions Judge, Saket', issuedOn: ago(100) }, ['United Arab Emirates']));
    await officer('uo.dl.crime').notices.submit(second);
    pass(1, 3);
    await officer('ilo.dl').notices.decide(second, { decision: 'return', comment: 'Give the date until which the warrant is valid, and attach the warrant’s scan.' });

    // 3. Maharashtra's ILO asks for a Yellow diffusion for a missing girl: circulated by the CBI to Nepal and Bangladesh.
    pass(5);
    const third = await draft('ilo.mh', groups.mh, 'yellow', 'diffusion', { crimeArea: 'migrant-trafficking', priority: 'immediate', countries: ['Nepal', 'Bangladesh'] }, {
      subject: pooja,
      purpose: 'missing',
      lastSeen: { on: ago(2), place: 'Pune railway station', circumstances: 'Left school with an unknown woman; seen on CCTV boarding a train to Gorakhpur.' },
      reporting: { authority: 'Maharashtra Police, Bund Garden Police Station', reference: 'Missing report 233/2026', reportedOn: ago(1) },
    });
    await officer('ilo.mh').notices.submit(third);
    pass(0, 3);
    await cbi.decide(third, { decision: 'circulate', countries: ['Nepal', 'Bangladesh', 'Bhutan'] });

    // 4. Delhi's ILO: a Black notice for an unidentified body, waiting at the General Secretariat.
    pass(9);
    const fourth = await draft('ilo.dl', groups.dl, 'black', 'notice', { crimeArea: 'other', priority: 'routine' }, {
      body: { foundOn: ago(10), place: 'Yamuna bank near Wazirabad, Delhi', sex: 'male', estimatedAge: '35-45', description: 'Adult male, foreign-made clothing, tattoo in Cyrillic script on the left forearm, no documents.', causeOfDeath: 'Drowning (post-mortem pending toxicology)' },
      identifiers: { dna: 'CFSL-DL-2026-3390', fingerprints: 'AFIS-DL-2026-1172', dental: '' },
      reporting: { authority: 'Delhi Police, North District', reference: 'DD 44A/2026' },
    });
    await officer('ilo.dl').notices.submit(fourth);
    pass(2);
    await cbi.decide(fourth, { decision: 'send-to-gs', reference: 'NCB-ND/BN/2026/0031' });

    // 5. Mumbai cyber unit's Green notice: refused by the General Secretariat.
    pass(6);
    const fifth = await draft('uo.mh.cyber', groups.cyber, 'green', 'notice', { crimeArea: 'cyber-crime', priority: 'routine' }, {
      subject: dev,
      offences: 'Convicted in 2021 (extortion through loan apps, 3 years); charged again in 2025.',
      facts: 'The subject runs collection call centres for illegal loan apps, harassing borrowers with morphed photographs; he moves between Mumbai, Kathmandu and Dubai.',
      threat: 'He restarted the same operation within months of his release and recruits abroad.',
    }, false);
    await officer('uo.mh.cyber').notices.submit(fifth);
    pass(1);
    await officer('ilo.mh').notices.decide(fifth, { decision: 'forward' });
    pass(1);
    await cbi.decide(fifth, { decision: 'send-to-gs', reference: 'NCB-ND/GN/2026/0019' });
    pass(15);
    await cbi.decide(fifth, { decision: 'refuse', comment: 'The General Secretariat found the information on future activity insufficient for a Green notice.' });

    // 6. Pune's Red notice for Arif Sheikh: published, then withdrawn after his arrest.
    pass(4);
    const sixth = await draft('uo.mh.pune', groups.pune, 'red', 'notice', { crimeArea: 'narcotics', priority: 'urgent' }, red(arif, { name: 'Trafficking in a commercial quantity of mephedrone', law: 'NDPS Act s. 22(c), 29', months: 240, on: ago(120), place: 'Pune' }, 'The subject financed a mephedrone factory in Kurkumbh MIDC (122 kg seized) and fled via Nepal; he is believed to be in Dubai.', { reference: 'NBW 51/2026', authority: 'Special Judge (NDPS), Pune', issuedOn: ago(80) }, ['United Arab Emirates', 'Nepal']));
    await officer('uo.mh.pune').notices.submit(sixth);
    pass(0, 8);
    await officer('ilo.mh').notices.decide(sixth, { decision: 'forward' });
    pass(1);
    await cbi.decide(sixth, { decision: 'send-to-gs', reference: 'NCB-ND/RN/2026/0477' });
    pass(9);
    await cbi.decide(sixth, { decision: 'publish', noticeNumber: 'A-5210/9-2026' });
    pass(20);
    await cbi.decide(sixth, { decision: 'withdraw', comment: 'Subject arrested in Dubai and deported to India.' });

    await laterRequests(desks, draft);
  },
};

type Draft = (username: string, group: string, kind: NoticeKind, type: RequestType, metadata: NoticeMetadata, content: unknown, photo?: boolean) => Promise<string>;

/** The last weeks' requests: still moving, so the desks have something waiting. */
async function laterRequests({ officer, groups, pass }: DemoDesks, draft: Draft): Promise<void> {
  const cbi = officer('cbi.officer').notices;
  const { marco, salim } = DEMO_PEOPLE;

  // 7. Silver (pilot) for an Italian fugitive's assets in Goa: published, then suspended.
  const seventh = await draft('ilo.mh', groups.mh, 'silver', 'notice', { crimeArea: 'economic-fraud', priority: 'routine' }, {
    subject: marco,
    offence: { name: 'Money laundering of fraud proceeds', law: 'PMLA 2002 s. 3, 4', maxPenaltyMonths: 84, committedOn: ago(400), place: 'North Goa' },
    assets: 'Two villas in Assagao and Siolim, North Goa, bought through a nominee for about ₹9 crore; a yacht registered in Mormugao.',
    facts: 'The subject, wanted in Italy, laundered the proceeds of a VAT fraud into property in Goa through a local nominee; the Enforcement Directorate has attached one villa.',
  });
  await officer('ilo.mh').notices.submit(seventh);
  pass(1);
  await cbi.decide(seventh, { decision: 'send-to-gs', reference: 'NCB-ND/SN/2026/0004' });
  pass(6);
  await cbi.decide(seventh, { decision: 'publish', noticeNumber: 'S-0042/10-2026' });
  pass(3);
  await cbi.decide(seventh, { decision: 'suspend', comment: 'Suspended at Italy’s request while its court reviews the asset orders.' });

  // 8. NIA Mumbai's Purple notice, with an Article 3 warning acknowledged by its ILO: at the CBI.
  pass(3);
  const eighth = await draft('uo.nia.mumbai', groups.niaMumbai, 'purple', 'notice', { crimeArea: 'terrorism', priority: 'urgent' }, {
    modusOperandi: 'Explosives concealed in the frames of imported bicycles, declared as sports goods, assembled at a protest camp used as cover.',
    objects: 'Bicycle frames with welded cavities; timer circuits built from phone chargers.',
    cases: ['RC-07/2026/NIA/MUM'],
    facts: 'Two consignments were intercepted at Nhava Sheva port last month; the same concealment was reported by two other countries in 2025.',
  }, false);
  await officer('uo.nia.mumbai').notices.submit(eighth);
  pass(1);
  await officer('ilo.nia').notices.decide(eighth, { decision: 'forward', acknowledgement: 'The protest camp is only the place of assembly; the request concerns explosives, an ordinary crime.' });

  // 9. Delhi's Red request corrected and resubmitted: at its ILO, past the deadline.
  pass(4);
  const ninth = await draft('uo.dl.crime', groups.dlCrime, 'red', 'notice', { crimeArea: 'organised-crime', priority: 'urgent' }, red(salim, { name: 'Murder in furtherance of organised crime', law: 'IPC s. 302, 120B', months: 1200, on: ago(90), place: 'Delhi' }, 'The subject ordered the killing of a builder in Chhatarpur from abroad; the shooters, arrested, named him.', { reference: 'NBW 141/2026', authority: 'Additional Sessions Judge, Saket', issuedOn: ago(60), expiresOn: ago(-300) }, ['United Arab Emirates']));
  await officer('uo.dl.crime').notices.submit(ninth);

  // 10. A Red request worded around sedition: the ILO acknowledged the warning, the CBI rejected it.
  pass(2);
  const tenth = await draft('uo.mh.pune', groups.pune, 'red', 'notice', { crimeArea: 'other', priority: 'routine' }, red(person({ family: 'Rao', given: 'Kiran', sex: 'male', born: '1981-09-09', birthPlace: 'Nagpur', nationality: 'India', document: 'Passport K1122334 (India)', description: 'Journalist; runs a video channel from London.' }), { name: 'Sedition and promoting enmity', law: 'IPC s. 124A, 153A', months: 36, on: ago(200), place: 'Pune' }, 'The subject posted videos from London accusing the state government of corruption, which led to a protest in Pune.', { reference: 'NBW 9/2026', authority: 'Judicial Magistrate First Class, Pune', issuedOn: ago(150) }, ['United Kingdom']));
  await officer('uo.mh.pune').notices.submit(tenth);
  pass(1);
  await officer('ilo.mh').notices.decide(tenth, { decision: 'forward', acknowledgement: 'Forwarded for the CBI’s view on Article 3; the unit insists on the case.' });
  pass(1);
  await cbi.decide(tenth, { decision: 'reject', comment: 'Political in character (Article 3): INTERPOL would refuse it. Pursue through mutual legal assistance if at all.' });

  // 11. The CBI's own Orange notice, with the General Secretariat, which asked a question: back at the CBI.
  pass(2);
  const eleventh = await draft('cbi.officer', groups.desk, 'orange', 'notice', { crimeArea: 'terrorism', priority: 'immediate' }, {
    threat: { type: 'object', description: 'Parcel bombs hidden in power banks sent by courier to airline cargo hubs.', imminence: 'The coming four weeks, major Indian and Gulf airports' },
    facts: 'Two devices were intercepted at Mumbai air cargo last week; the consignor used forged KYC and is still sending parcels.',
    measures: 'Screen power banks from the consignor named in the sealed annex; alert airline security.',
  }, false);
  await cbi.submit(eleventh);
  pass(0, 2);
  await cbi.decide(eleventh, { decision: 'send-to-gs', reference: 'NCB-ND/ON/2026/0007' });
  pass(1);
  await cbi.decide(eleventh, { decision: 'ask', comment: 'Give the courier companies concerned and whether the devices were viable.' });

  // 12. Drafts: a UN Special Notice at the CBI, and a Blue request being written at the NIA unit.
  await draft('cbi.officer', groups.desk, 'un-special', 'notice', { crimeArea: 'terrorism', priority: 'routine' }, {
    entity: { name: { latin: 'Example Relief Trust', original: '' }, committee: '1267 Committee', listReference: 'QDe.000 (demo)' },
    measures: 'Assets freeze, travel ban and arms embargo.',
    facts: 'A front entity listed by the Security Council; its office bearers are believed to travel through South Asia.',
  }, false);
  await draft('uo.nia.mumbai', groups.niaMumbai, 'blue', 'notice', { crimeArea: 'terrorism', priority: 'routine' }, {
    subject: person({ family: 'Khan', given: 'Imtiaz', sex: 'male', born: '1986-12-01', birthPlace: 'Bhiwandi', nationality: 'India', document: 'Passport R4455667 (India)', description: 'Draft: particulars being verified.' }),
    offence: { name: 'Raising funds for a terrorist act', law: 'UAPA s. 17', maxPenaltyMonths: 1200, committedOn: ago(60), place: 'Mumbai' },
    facts: 'Draft: the subject received transfers from abroad for the network under investigation in RC-07/2026/NIA/MUM.',
    sought: 'Current location and travel in the last two months.',
  }, false);

  // The CBI switches the training requirement on (the demo's drafting officers have attended the course).
  await officer('cbi.admin').post('/api/notices/settings', { terms: (await cbi.settings()).terms, requiredCourse: DEMO_NOTICE_COURSE, validityMonths: 24 });
}
