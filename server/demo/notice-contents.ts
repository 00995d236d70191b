/** What the demo's notice requests say: plausible particulars and facts, one builder per kind. */

interface Person {
  family: string;
  given: string;
  original?: [string, string];
  sex: 'male' | 'female';
  born: string;
  birthPlace: string;
  nationality: string;
  document: string;
  description: string;
}

export function person(who: Person) {
  return {
    familyName: { latin: who.family, original: who.original?.[0] ?? '' },
    givenNames: { latin: who.given, original: who.original?.[1] ?? '' },
    aliases: [],
    sex: who.sex,
    birthDate: who.born,
    birthPlace: who.birthPlace,
    nationalities: [who.nationality],
    description: who.description,
    documents: [who.document],
    fingerprints: '',
    dna: '',
  };
}

export function red(subject: ReturnType<typeof person>, offence: { name: string; law: string; months: number; on: string; place: string }, facts: string, warrant: { reference: string; authority: string; issuedOn: string; expiresOn?: string }, extradition: string[]) {
  return {
    subject,
    purpose: 'prosecution',
    offence: { name: offence.name, law: offence.law, maxPenaltyMonths: offence.months, committedOn: offence.on, place: offence.place },
    sentence: { imposedMonths: 0, remainingMonths: 0 },
    facts,
    warrant: { type: 'arrest-warrant', reference: warrant.reference, authority: warrant.authority, issuedOn: warrant.issuedOn, expiresOn: warrant.expiresOn ?? '' },
    extradition,
  };
}

export const DEMO_PEOPLE = {
  ravi: person({ family: 'Kulkarni', given: 'Ravi', original: ['कुलकर्णी', 'रवि'], sex: 'male', born: '1984-03-12', birthPlace: 'Pune', nationality: 'India', document: 'Passport Z1234567 (India)', description: '1.75 m, heavy build, mole on the right cheek; speaks Marathi, Hindi, English and some Thai.' }),
  salim: person({ family: 'Qureshi', given: 'Salim', original: ['क़ुरैशी', 'सलीम'], sex: 'male', born: '1979-08-30', birthPlace: 'Delhi', nationality: 'India', document: 'Passport T7788123 (India)', description: '1.70 m, greying hair, limps on the left leg.' }),
  pooja: person({ family: 'Thapa', given: 'Pooja', sex: 'female', born: '2010-02-14', birthPlace: 'Pune', nationality: 'India', document: 'Aadhaar (number withheld)', description: '1.52 m, slim, long black hair; was wearing a blue school uniform.' }),
  dev: person({ family: 'Malhotra', given: 'Dev', original: ['मल्होत्रा', 'देव'], sex: 'male', born: '1990-11-05', birthPlace: 'Mumbai', nationality: 'India', document: 'Passport U2233445 (India)', description: 'Known as a "recovery agent" of loan apps; tattoo of a scorpion on the neck.' }),
  marco: person({ family: 'Ferri', given: 'Marco', sex: 'male', born: '1972-01-19', birthPlace: 'Naples', nationality: 'Italy', document: 'Passport YA1234567 (Italy)', description: '1.82 m; owns property in North Goa under a nominee.' }),
  arif: person({ family: 'Sheikh', given: 'Arif', sex: 'male', born: '1988-06-21', birthPlace: 'Aurangabad', nationality: 'India', document: 'Passport N5566778 (India)', description: '1.68 m, beard, speaks Urdu and Marathi.' }),
};
