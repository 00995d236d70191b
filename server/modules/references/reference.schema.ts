/** What a reference is made of, as the API takes it, and the words for its plain fields. */
import { z } from 'zod';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITIES } from '../../shared/vocabulary/priorities.js';
import { openingInput } from '../../workflow/openings.js';
import { attachmentIds, gradingInput, handlingInput, interpolReference, sealedInput, signedInput, transmissionMedium } from '../../workflow/request-inputs.js';
import { objectIdInput } from '../../validation.js';

/** Outgoing: Indian officers asking for assistance abroad. Incoming: a foreign NCB asking India. */
export const DIRECTIONS = ['outgoing', 'incoming'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const ASSISTANCE_TYPES = [
  'locate-person',
  'criminal-record',
  'identity-verification',
  'subscriber-details',
  'financial-information',
  'witness-statement',
  'asset-tracing',
  'other',
] as const;
export type AssistanceType = (typeof ASSISTANCE_TYPES)[number];
export const ASSISTANCE_LABELS: Record<AssistanceType, string> = {
  'locate-person': 'Locate a person',
  'criminal-record': 'Criminal record check',
  'identity-verification': 'Identity or document verification',
  'subscriber-details': 'Vehicle, phone, e-mail or IP subscriber details',
  'financial-information': 'Bank account or financial information',
  'witness-statement': 'Witness statement or questioning',
  'asset-tracing': 'Seizure or tracing of assets',
  other: 'Other assistance',
};

/**
 * Where an outgoing reference is: being written at its author's desk, with the agency's ILO, with
 * the CBI, abroad (transmitted to the foreign NCBs), answered (every country replied: back with
 * its author), closed, or rejected at a review.
 */
export const STATUSES = ['draft', 'at-ilo', 'at-cbi', 'abroad', 'answered', 'closed', 'rejected', 'registered', 'forwarded', 'at-unit', 'replied'] as const;
export type ReferenceStatus = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<ReferenceStatus, string> = {
  draft: 'a draft',
  'at-ilo': 'with the ILO',
  'at-cbi': 'with the CBI',
  abroad: 'abroad',
  answered: 'answered',
  closed: 'closed',
  rejected: 'rejected',
  registered: 'registered at the CBI',
  forwarded: 'with the agencies',
  'at-unit': 'with the unit',
  replied: 'replied abroad',
};

/** The desks a reference passes through; each has its own clock. */
export const DESKS = ['unit', 'ilo', 'cbi', 'abroad'] as const;
export type Desk = (typeof DESKS)[number];

const countryInput = z.object({
  country: z.string().trim().min(2, 'Name the country.').max(60),
  ncb: z.string().trim().min(2, 'Name the foreign NCB, such as NCB Bangkok.').max(80),
});

/** What every reference carries besides its direction's own facts, going abroad or coming in. */
const requestFields = {
  crimeArea: z.enum(CRIME_AREAS, { error: 'Choose a crime area.' }),
  priority: z.enum(PRIORITIES, { error: 'Choose the urgency.' }),
  /** Unset: the urgency's default, counted from when it is handed on (submitted, or registered). */
  deadline: z.coerce.date().optional(),
  handling: handlingInput,
  grading: gradingInput,
  /** Sealed for the desk that writes it (the author's: their unit, their agency's ILOs, or the CBI desk). */
  body: sealedInput,
  attachments: attachmentIds,
};

/** A draft: plain metadata for routing, queues and statistics; the facts sealed for the author's desk. */
export const draftSchema = z.object({
  countries: z
    .array(countryInput)
    .min(1, 'Name at least one country.')
    .max(20)
    .refine((countries) => new Set(countries.map((entry) => entry.country.toLowerCase())).size === countries.length, 'A country is named twice.'),
  assistance: z.enum(ASSISTANCE_TYPES, { error: 'Choose the assistance requested.' }),
  case: z.object({
    fir: z.string().trim().min(1, 'Enter the FIR number.').max(60),
    policeStation: z.string().trim().min(2, 'Name the police station.').max(100),
    sections: z.string().trim().min(1, 'Enter the sections of law.').max(200),
    registeredOn: z.coerce.date({ error: 'Enter the date the FIR was registered.' }),
  }),
  ...requestFields,
});
export type DraftInput = z.output<typeof draftSchema>;

const comment = z.string().trim().max(1000).default('');

/**
 * A decision at a desk, signed over the statement the server rebuilds: handing a draft on
 * (`submit`), passing it up (`forward`, with the body opened for the next desk), sending it back
 * to its author (`return`, saying why), or stopping it (`reject`, saying why).
 */
export const decisionSchema = z.discriminatedUnion('decision', [
  // No opening for the CBI's own reference: it is sealed for the desk already.
  signedInput.extend({ decision: z.literal('submit'), comment, opening: openingInput.optional() }),
  signedInput.extend({ decision: z.literal('forward'), comment, opening: openingInput }),
  signedInput.extend({ decision: z.literal('return'), comment: z.string().trim().min(3, 'Say what needs correcting.').max(1000) }),
  signedInput.extend({ decision: z.literal('reject'), comment: z.string().trim().min(3, 'Say why it is rejected.').max(1000) }),
]);
export type DecisionInput = z.output<typeof decisionSchema>;
export type Decision = DecisionInput['decision'];

/** The CBI transmits a reference to the foreign NCBs (each with its INTERPOL reference), signed. */
export const transmitSchema = signedInput.extend({
  transmissions: z
    .array(z.object({ country: z.string().trim().min(2).max(60), reference: interpolReference('Enter the INTERPOL reference number.'), medium: transmissionMedium }))
    .min(1, 'Record the transmission to at least one country.')
    .max(20),
  comment,
});
export type TransmitInput = z.output<typeof transmitSchema>;

/** A foreign NCB's reply, sealed for the CBI desk and opened for each desk below it. */
export const replySchema = signedInput.extend({
  country: z.string().trim().min(2).max(60),
  /** Whether this reply completes the country's answer (an interim reply does not). */
  final: z.boolean().default(true),
  body: sealedInput,
  attachments: attachmentIds,
  /** By group: the ILOs of the author's agency and, for a unit's reference, the unit. */
  openings: z.record(z.string().regex(/^(agency-ilos|unit):[a-f0-9]{24}$/), openingInput),
});
export type ReplyInput = z.output<typeof replySchema>;

/** The author's desk ends it, or asks for a follow-up (a reminder or a further request) sent abroad again. */
export const closeSchema = signedInput.extend({ decision: z.enum(['close', 'follow-up']), comment });
export type CloseInput = z.output<typeof closeSchema>;

/** What a decision's statement says, asked for before signing it (the same fields as the decision itself). */
export const statementSchema = z.object({
  decision: z.enum(['submit', 'forward', 'return', 'reject', 'transmit', 'reply', 'close', 'follow-up', 'register', 'forward-agencies', 'assign', 'report', 'approve', 'reply-abroad', 'foreign-reminder']),
  /** Agencies (forward-agencies) or the unit (assign) the decision names. */
  places: z.array(objectIdInput).max(100).default([]),
  signedAt: z.coerce.date(),
  comment: z.string().trim().max(1000).default(''),
  country: z.string().trim().max(60).default(''),
  final: z.boolean().default(true),
  transmissions: transmitSchema.shape.transmissions.optional(),
});
export type StatementInput = z.output<typeof statementSchema>;

// ---------------------------------------------------------------------------------------------
// Incoming references: a foreign NCB's request, registered at the CBI and worked on in India

/** The CBI registers a reference received from a foreign NCB: plain facts, the request sealed for the desk. */
export const registerSchema = z.object({
  foreign: z.object({
    country: z.string().trim().min(2, 'Name the requesting country.').max(60),
    ncb: z.string().trim().min(2, 'Name the foreign NCB.').max(80),
    reference: interpolReference('Enter the foreign reference number.'),
    receivedOn: z.coerce.date({ error: 'Enter the date it was received.' }),
  }),
  assistance: z.enum(ASSISTANCE_TYPES, { error: 'Choose the action requested.' }),
  ...requestFields,
  /** The broadcast it was opened from, when a broadcast turned out to need formal assistance. */
  broadcast: objectIdInput.optional(),
});
export type RegisterInput = z.output<typeof registerSchema>;

/** The CBI forwards a registered reference to agencies: its body opened for each agency's ILOs; signed. */
export const forwardAgenciesSchema = signedInput.extend({
  openings: z
    .record(z.string().regex(/^[a-f0-9]{24}$/), openingInput)
    .refine((openings) => Object.keys(openings).length > 0, 'Choose at least one agency.')
    .refine((openings) => Object.keys(openings).length <= 60, 'At most 60 agencies at once.'),
  comment,
});
export type ForwardAgenciesInput = z.output<typeof forwardAgenciesSchema>;

/** An ILO assigns its agency's part to one of its units: opened for the unit; signed. */
export const assignSchema = signedInput.extend({ unit: objectIdInput, opening: openingInput, comment });
export type AssignInput = z.output<typeof assignSchema>;

/** An execution report (a unit's to its ILO, or an ILO's own to the CBI): sealed for the writer's desk, opened for the one above. */
export const reportSchema = signedInput.extend({ body: sealedInput, attachments: attachmentIds, upward: openingInput, comment });
export type ReportInput = z.output<typeof reportSchema>;

/** The ILO approves a unit's report and sends it up: each report opened for the CBI desk (by re-wrapping); signed. */
export const approveSchema = signedInput.extend({
  openings: z.record(z.string().regex(/^[a-f0-9]{24}$/), openingInput),
  comment,
});
export type ApproveInput = z.output<typeof approveSchema>;

/** The CBI records the reply it sent abroad (interim or final), or a reminder the foreign NCB sent; signed. */
export const replyAbroadSchema = signedInput.extend({
  reference: interpolReference('Enter the reference of the reply sent.'),
  medium: transmissionMedium,
  final: z.boolean().default(true),
  comment,
});
export type ReplyAbroadInput = z.output<typeof replyAbroadSchema>;

export const foreignReminderSchema = signedInput.extend({ comment: z.string().trim().min(3, 'Say what the foreign NCB asked.').max(1000) });
export type ForeignReminderInput = z.output<typeof foreignReminderSchema>;
