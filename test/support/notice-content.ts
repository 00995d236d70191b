/** Complete notice request contents of each kind, as an officer would fill them in, for tests and benches to vary. */
import type { NoticeContent } from '../../server/shared/notices/forms.js';
import type { NoticeKind } from '../../server/shared/notices/kinds.js';

const person = {
  familyName: { latin: 'Sharma', original: 'शर्मा' },
  givenNames: { latin: 'Vikram', original: 'विक्रम' },
  aliases: ['Vicky'],
  sex: 'male',
  birthDate: '1984-03-12',
  birthPlace: 'Jaipur, India',
  nationalities: ['India'],
  description: '1.78 m, scar above the left eyebrow, speaks Hindi and English.',
  documents: ['Passport Z4409123 (India)'],
  fingerprints: 'AFIS-RJ-2024-0091',
  dna: '',
};
const offence = { name: 'Cheating and criminal breach of trust', law: 'Bharatiya Nyaya Sanhita 2023, s. 318(4)', maxPenaltyMonths: 84, committedOn: '2024-11-02', place: 'Jaipur' };
const facts = 'The subject collected deposits from 412 investors through a fake export scheme and left India on 3 January 2025 with the proceeds.';

/** A complete content of each kind (a fresh copy: tests change it). */
export function contentOf(kind: NoticeKind): Record<string, unknown> {
  const contents: Record<NoticeKind, unknown> = {
    red: {
      subject: person,
      purpose: 'prosecution',
      offence,
      sentence: { imposedMonths: 0, remainingMonths: 0 },
      facts,
      warrant: { type: 'arrest-warrant', reference: 'NBW 117/2025', authority: 'Chief Judicial Magistrate, Jaipur', issuedOn: '2025-01-20', expiresOn: '' },
      extradition: ['United Arab Emirates', 'Thailand'],
    },
    yellow: {
      subject: { ...person, birthDate: '2009-06-01', fingerprints: '', documents: [] },
      purpose: 'missing',
      lastSeen: { on: '2026-10-02', place: 'Amritsar railway station', circumstances: 'Left home for school and did not return; seen boarding a train.' },
      reporting: { authority: 'Punjab Police, Amritsar', reference: 'FIR 233/2026', reportedOn: '2026-10-03' },
    },
    blue: { subject: person, offence, facts, sought: 'Current address and travel since January 2025.' },
    black: {
      body: { foundOn: '2026-09-14', place: 'Beach near Kovalam, Kerala', sex: 'male', estimatedAge: '30-40', description: 'Adult male, tattoo of an anchor on the right forearm, blue jeans.', causeOfDeath: 'Drowning' },
      identifiers: { dna: 'DNA-KL-2026-17', fingerprints: '', dental: '' },
      reporting: { authority: 'Kerala Police, Thiruvananthapuram', reference: 'UD 44/2026' },
    },
    green: { subject: person, offences: 'Convicted twice of investment fraud (2016, 2020).', facts, threat: 'Has set up the same scheme after each release.' },
    orange: {
      threat: { type: 'object', description: 'Parcel bombs concealed in imported electronics sent to courier hubs.', imminence: 'Next four weeks, major airports' },
      facts: 'Two devices were intercepted at Mumbai air cargo in November 2026; the sender is still active and more parcels are expected.',
      measures: 'Screen parcels from the named consignor.',
    },
    purple: {
      modusOperandi: 'Narcotics concealed in hollowed-out machine parts declared as spare parts for textile looms.',
      objects: 'Loom shafts with welded cavities.',
      cases: ['NCB Mumbai case 12/2026'],
      facts: 'Three consignments seized at Nhava Sheva port used the same concealment; the shipper changed names each time.',
    },
    silver: { subject: person, offence, assets: 'Two apartments in Dubai Marina and an account at a bank in Bangkok, about INR 18 crore.', facts },
    'un-special': {
      entity: { name: { latin: 'Example Front', original: '' }, committee: '1267 Committee', listReference: 'QDe.999' },
      measures: 'Assets freeze, travel ban and arms embargo.',
      facts: 'Listed entity whose members are believed to travel through South Asia.',
    },
  };
  return structuredClone(contents[kind]) as Record<string, unknown>;
}

export type { NoticeContent };
