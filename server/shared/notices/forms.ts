/**
 * What each kind of request says, as one zod schema per kind: the browser's form is drawn from it
 * (labels are the schemas' descriptions), the browser checks the plaintext against it before it
 * is sealed, and reviewers check it again once they have opened it. The server never sees this
 * content; it checks the plain metadata (notice.schema.ts) and the signed result of this check.
 */
import { z } from 'zod';
import type { NoticeKind } from './kinds.js';

const text = (label: string, max = 200) => z.string().trim().min(1, `Give the ${label.toLowerCase()}.`).max(max).describe(label);
const optionalText = (label: string, max = 200) => z.string().trim().max(max).default('').describe(label);
const longText = (label: string, min: number) => z.string().trim().min(min, `Write the ${label.toLowerCase()} (at least ${min} characters).`).max(20_000).describe(`${label}|long`);
const date = (label: string) => z.iso.date('Enter the date.').describe(label);
const optionalDate = (label: string) => z.union([z.iso.date(), z.literal('')]).default('').describe(label);
const lines = (label: string, min = 0) =>
  z
    .array(z.string().trim().min(1).max(200))
    .max(30)
    .min(min, `Give at least ${min === 1 ? 'one' : min} ${label.toLowerCase()}.`)
    .default([])
    .describe(`${label}|lines${min > 0 ? '|required' : ''}`);
const choice = <T extends readonly [string, ...string[]]>(values: T, label: string) => z.enum(values, { error: `Choose the ${label.toLowerCase()}.` }).describe(label);

/** A name in Latin script (as INTERPOL publishes it), beside the original script when it differs. */
const nameSchema = (label: string) =>
  z
    .object({
      latin: text(`${label} (Latin script)`, 100),
      original: optionalText(`${label} (original script)`, 100),
    })
    .describe(label);

/** Who a request is about: identity particulars and identifiers. */
const personSchema = z
  .object({
    familyName: nameSchema('Family name'),
    givenNames: nameSchema('Given names'),
    aliases: lines('Aliases and other names'),
    sex: choice(['male', 'female', 'other', 'unknown'] as const, 'Sex'),
    birthDate: optionalDate('Date of birth'),
    birthPlace: optionalText('Place of birth'),
    nationalities: lines('Nationalities'),
    description: optionalText('Description (height, build, marks, languages)', 2_000),
    documents: lines('Identity documents (type, number, issuing country)'),
    fingerprints: optionalText('Fingerprints reference (AFIS record)', 100),
    dna: optionalText('DNA profile reference', 100),
  })
  .describe('Person');

const offenceSchema = z
  .object({
    name: text('Offence'),
    law: text('Applicable law and section'),
    maxPenaltyMonths: z.coerce.number({ error: 'Give the maximum penalty in months.' }).int().min(0).max(1_200).describe('Maximum penalty (months; life = 1200)'),
    committedOn: optionalDate('Committed on'),
    place: optionalText('Where committed'),
  })
  .describe('Offence');

const warrantSchema = z
  .object({
    type: choice(['arrest-warrant', 'judgment'] as const, 'Warrant or judgment'),
    reference: text('Reference number', 100),
    authority: text('Issuing court or authority'),
    issuedOn: date('Issued on'),
    expiresOn: optionalDate('Valid until (if it expires)'),
  })
  .describe('Arrest warrant or judgment');

const red = z.object({
  subject: personSchema,
  purpose: choice(['prosecution', 'sentence'] as const, 'Wanted for'),
  offence: offenceSchema,
  sentence: z
    .object({
      imposedMonths: z.coerce.number().int().min(0).max(1_200).default(0).describe('Sentence imposed (months)'),
      remainingMonths: z.coerce.number().int().min(0).max(1_200).default(0).describe('Sentence remaining to be served (months)'),
    })
    .describe('Sentence (when wanted to serve one)'),
  facts: longText('Summary of facts', 80),
  warrant: warrantSchema,
  extradition: lines('Countries from which extradition would be sought', 1),
});

const yellow = z.object({
  subject: personSchema,
  purpose: choice(['missing', 'unidentified'] as const, 'Purpose'),
  lastSeen: z
    .object({
      on: date('Last seen on'),
      place: text('Last seen at'),
      circumstances: longText('Circumstances of disappearance', 20),
    })
    .describe('Disappearance'),
  reporting: z
    .object({
      authority: text('Reporting authority'),
      reference: text('Report or FIR reference', 100),
      reportedOn: date('Reported on'),
    })
    .describe('Report'),
});

const blue = z.object({
  subject: personSchema,
  offence: offenceSchema,
  facts: longText('Summary of facts', 80),
  sought: longText('Information sought', 20),
});

const black = z.object({
  body: z
    .object({
      foundOn: date('Found on'),
      place: text('Found at'),
      sex: choice(['male', 'female', 'unknown'] as const, 'Sex'),
      estimatedAge: optionalText('Estimated age', 40),
      description: longText('Description of the body, clothing and belongings', 20),
      causeOfDeath: optionalText('Cause of death (if known)'),
    })
    .describe('Body'),
  identifiers: z
    .object({
      dna: optionalText('DNA profile reference', 100),
      fingerprints: optionalText('Fingerprints reference', 100),
      dental: optionalText('Dental record reference', 100),
    })
    .describe('Identifiers'),
  reporting: z.object({ authority: text('Investigating authority'), reference: text('Case reference', 100) }).describe('Case'),
});

const green = z.object({
  subject: personSchema,
  offences: longText('Previous offences and convictions', 20),
  facts: longText('Summary of the criminal activity', 80),
  threat: longText('Why repetition is likely', 20),
});

const orange = z.object({
  threat: z
    .object({
      type: choice(['person', 'event', 'object', 'process'] as const, 'Threat from'),
      description: longText('Description of the threat', 40),
      imminence: text('How imminent (date, place, window)'),
    })
    .describe('Threat'),
  facts: longText('Summary of facts and sources', 80),
  measures: optionalText('Measures recommended', 2_000),
});

const purple = z.object({
  modusOperandi: longText('Modus operandi', 40),
  objects: optionalText('Objects, devices and concealment methods', 2_000),
  cases: lines('Cases where it was seen (FIR or case references)', 1),
  facts: longText('Summary of facts', 80),
});

const silver = z.object({
  subject: personSchema,
  offence: offenceSchema,
  assets: longText('Assets sought (description, location, estimated value)', 20),
  facts: longText('Summary of facts', 80),
});

const unSpecial = z.object({
  entity: z
    .object({
      name: nameSchema('Individual or entity'),
      committee: text('Sanctions committee'),
      listReference: text('UN list reference', 100),
    })
    .describe('Listed individual or entity'),
  measures: longText('Sanctions measures', 20),
  facts: longText('Summary of the listing', 40),
});

/** The content of each kind of request, as filled in and sealed. */
export const NOTICE_FORMS = { red, yellow, blue, black, green, orange, purple, silver, 'un-special': unSpecial } as const satisfies Record<NoticeKind, z.ZodObject>;

export type NoticeContent<K extends NoticeKind = NoticeKind> = z.output<(typeof NOTICE_FORMS)[K]>;
export type RedContent = NoticeContent<'red'>;

/**
 * The label of a field from its schema's description: "Offence|long" is a long text labelled
 * "Offence"; "Countries|lines|required" one entry per line, at least one.
 */
export function describedAs(schema: z.ZodType): { label: string; shape?: 'long' | 'lines'; required?: true } {
  const [label = '', shape, required] = (schema.description ?? '').split('|');
  return { label, ...(shape === 'long' || shape === 'lines' ? { shape } : {}), ...(required === 'required' ? { required: true as const } : {}) };
}
