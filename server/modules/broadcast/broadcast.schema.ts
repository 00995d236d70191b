import { z } from 'zod';
import { base64Input } from '../groups/groups.schema.js';
import { MAX_ITEM_BYTES } from '../items/items.schema.js';
import { objectIdInput } from '../organisation/organisation.schema.js';

/** What a foreign NCB sent: a request for assistance, criminal intelligence, or an alert. */
export const KINDS = ['request-for-assistance', 'criminal-intelligence', 'alert'] as const;
export type BroadcastKind = (typeof KINDS)[number];
export const KIND_LABELS: Record<BroadcastKind, string> = {
  'request-for-assistance': 'Request for assistance',
  'criminal-intelligence': 'Criminal intelligence',
  alert: 'Alert',
};

/** For action (an answer is expected by the deadline) or for information (an acknowledgement is). */
export const PURPOSES = ['action', 'information'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const PURPOSE_LABELS: Record<Purpose, string> = { action: 'For action', information: 'For information' };

/** The crime areas named at Bharatpol's launch. */
export const CRIME_AREAS = [
  'organised-crime',
  'narcotics',
  'migrant-trafficking',
  'arms-trafficking',
  'cyber-crime',
  'economic-fraud',
  'csam',
  'terrorism',
  'other',
] as const;
export type CrimeArea = (typeof CRIME_AREAS)[number];
export const CRIME_AREA_LABELS: Record<CrimeArea, string> = {
  'organised-crime': 'Transnational organised crime',
  narcotics: 'Narcotics',
  'migrant-trafficking': 'Trafficking in migrants',
  'arms-trafficking': 'Arms trafficking',
  'cyber-crime': 'Cyber crime',
  'economic-fraud': 'Economic fraud',
  csam: 'Child sexual abuse material',
  terrorism: 'Terrorism',
  other: 'Other',
};

export const PRIORITIES = ['routine', 'urgent', 'immediate'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { routine: 'Routine', urgent: 'Urgent', immediate: 'Immediate' };

/**
 * Default time to answer per priority, after EU Directive 2023/977's deadlines (8 hours for the
 * most urgent requests, 3 days for other urgent ones, 7 days otherwise).
 */
export const DEFAULT_DEADLINE_MS: Record<Priority, number> = {
  immediate: 8 * 3_600_000,
  urgent: 3 * 24 * 3_600_000,
  routine: 7 * 24 * 3_600_000,
};

/** How often whoever has not acknowledged an urgent or immediate broadcast is reminded. */
export const REMINDER_INTERVAL_MS: Partial<Record<Priority, number>> = {
  immediate: 15 * 60_000,
  urgent: 60 * 60_000,
};

/** Handling codes (as Europol's SIENA): what the receiver may do with the information. */
export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];
export const HANDLING_LABELS: Record<HandlingCode, string> = {
  H0: 'H0 — for preventing and combating crime only',
  H1: 'H1 — not for use in court without the provider’s permission',
  H2: 'H2 — no dissemination without the provider’s permission',
  H3: 'H3 — other restrictions stated below',
};

/** Whether a handling code lets an agency pass the broadcast on to its units (or anyone else). */
export function allowsOnwardSharing(code: HandlingCode): boolean {
  return code !== 'H2';
}

/** Source reliability and information assessment (the 4x4 evaluation). */
export const SOURCE_GRADES = ['A', 'B', 'C', 'X'] as const;
export const INFORMATION_GRADES = ['1', '2', '3', '4'] as const;
export const SOURCE_LABELS: Record<(typeof SOURCE_GRADES)[number], string> = {
  A: 'A — no doubt about the source',
  B: 'B — source mostly reliable',
  C: 'C — source mostly not reliable',
  X: 'X — reliability cannot be assessed',
};
export const INFORMATION_LABELS: Record<(typeof INFORMATION_GRADES)[number], string> = {
  '1': '1 — known to be true without reservation',
  '2': '2 — known personally to the source',
  '3': '3 — not known personally, corroborated',
  '4': '4 — cannot be assessed',
};

/** Who a broadcast goes to: every agency, the states and union territories, the central agencies, or a list. */
export const ADDRESSEE_MODES = ['all', 'states', 'central', 'list'] as const;
export type AddresseeMode = (typeof ADDRESSEE_MODES)[number];

export const STATUSES = ['draft', 'in-review', 'sent', 'answered', 'closed'] as const;
export type BroadcastStatus = (typeof STATUSES)[number];

/** A sealed body, as the browser sends it: ciphertext for a group's epoch key. */
export const sealedInput = z.object({
  epoch: z.number().int().min(1),
  body: base64Input(MAX_ITEM_BYTES),
  keyPackets: base64Input(8_192),
});
export type SealedInput = z.output<typeof sealedInput>;

const fileIds = z
  .array(objectIdInput)
  .max(10, 'Attach at most 10 files.')
  .default([])
  .refine((ids) => new Set(ids).size === ids.length, 'The same file is attached twice.');

/** The plain metadata the server routes and counts on, and the sealed body and attachments. */
export const composeSchema = z
  .object({
    country: z.string().trim().min(2, 'Name the originating country.').max(60),
    foreignNcb: z.string().trim().min(2, 'Name the foreign NCB, such as NCB Bangkok.').max(80),
    reference: z
      .string()
      .trim()
      .min(3, 'Enter the INTERPOL reference number.')
      .max(60)
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} ./:_-]*$/u, 'Use letters, digits, spaces and . / : _ - only.'),
    kind: z.enum(KINDS, { error: 'Choose what kind of message this is.' }),
    purpose: z.enum(PURPOSES, { error: 'Choose for action or for information.' }),
    crimeArea: z.enum(CRIME_AREAS, { error: 'Choose a crime area.' }),
    priority: z.enum(PRIORITIES, { error: 'Choose a priority.' }),
    /** Unset: the priority's default, counted from sending. */
    deadline: z.coerce.date().optional(),
    handling: z.object({
      code: z.enum(HANDLING_CODES, { error: 'Choose a handling code.' }),
      restrictions: z.string().trim().max(500).default(''),
    }),
    grading: z.object({
      source: z.enum(SOURCE_GRADES, { error: 'Grade the source A, B, C or X.' }),
      information: z.enum(INFORMATION_GRADES, { error: 'Grade the information 1 to 4.' }),
    }),
    addressees: z.object({
      mode: z.enum(ADDRESSEE_MODES, { error: 'Choose who receives it.' }),
      agencies: z.array(objectIdInput).max(200).default([]),
    }),
    /** Sealed for the CBI desk (`ncb-desk`); opened for agencies when sent. */
    body: sealedInput,
    attachments: fileIds,
  })
  .superRefine((input, issues) => {
    if (input.handling.code === 'H3' && input.handling.restrictions.length < 3) {
      issues.addIssue({ code: 'custom', path: ['handling', 'restrictions'], message: 'State the restrictions that H3 refers to.' });
    }
    if (input.addressees.mode === 'list' && input.addressees.agencies.length === 0) {
      issues.addIssue({ code: 'custom', path: ['addressees', 'agencies'], message: 'Choose at least one agency.' });
    }
  });
export type ComposeInput = z.output<typeof composeSchema>;

/** Key packets that open a sealed body and its attachments for one more group. */
const openingFor = z.object({
  epoch: z.number().int().min(1),
  body: base64Input(8_192),
  attachments: z.record(z.string().regex(/^[a-f0-9]{24}$/), base64Input(8_192)).default({}),
});
export type Opening = z.output<typeof openingFor>;

/** Sending: the body and attachments opened for every addressed agency's ILOs. */
export const sendSchema = z.object({
  openings: z.record(z.string().regex(/^[a-f0-9]{24}$/), openingFor),
  /** Addressed agencies to leave out because their ILOs have no key yet (said, not silent). */
  leaveOut: z.array(objectIdInput).max(200).default([]),
});
export type SendInput = z.output<typeof sendSchema>;

export const reviewSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), openings: sendSchema.shape.openings, leaveOut: sendSchema.shape.leaveOut }),
  z.object({ decision: z.literal('return'), comment: z.string().trim().min(3, 'Say what needs changing.').max(1000) }),
]);
export type ReviewInput = z.output<typeof reviewSchema>;

/** A signed acknowledgement: the signature over the statement the server rebuilds. */
export const acknowledgeSchema = z.object({
  signedAt: z.coerce.date(),
  signature: z.string().trim().min(50).max(4_000).startsWith('-----BEGIN PGP SIGNATURE-----'),
});
export type AcknowledgeInput = z.output<typeof acknowledgeSchema>;

export const statementQuery = z.object({ signedAt: z.coerce.date() });

/** Dissemination: instructions sealed for the agency's ILOs and opened for each chosen unit. */
export const disseminateSchema = z.object({
  instructions: sealedInput,
  deadline: z.coerce.date().optional(),
  units: z
    .record(
      z.string().regex(/^[a-f0-9]{24}$/),
      openingFor.extend({ instructions: base64Input(8_192) }),
    )
    .refine((units) => Object.keys(units).length > 0, 'Choose at least one unit.')
    .refine((units) => Object.keys(units).length <= 1000, 'At most 1,000 units at once.'),
});
export type DisseminateInput = z.output<typeof disseminateSchema>;

/** An action-taken report (UO) or an agency response (ILO): sealed for the writer's group, opened for the one above. */
export const answerSchema = z.object({
  body: sealedInput,
  attachments: fileIds,
  upward: openingFor,
});
export type AnswerInput = z.output<typeof answerSchema>;

export const closeSchema = z.object({ status: z.enum(['answered', 'closed']) });

export const transmissionSchema = z.object({
  reference: z.string().trim().min(3, 'Enter the reference of the reply.').max(60),
  medium: z.enum(['i24-7', 'email', 'diplomatic', 'other']).default('i24-7'),
  note: z.string().trim().max(500).default(''),
});
export type TransmissionInput = z.output<typeof transmissionSchema>;

export const deliveredSchema = z.object({ ids: z.array(objectIdInput).min(1).max(100) });

const optionalDate = z.preprocess((value) => (value === '' ? undefined : value), z.coerce.date().optional());
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.enum(values).optional());

/** Where an addressee has got (inbox filter), and where a broadcast is (the desk's filter). */
export const RECIPIENT_STATES = ['new', 'read', 'acknowledged', 'responded', 'overdue'] as const;
export const DESK_STATES = ['draft', 'in-review', 'sent', 'answered', 'closed', 'overdue'] as const;

/** Inbox and outbox filters; `cursor` pages newest first. */
export const listQuery = z.object({
  q: z.string().trim().max(100).default(''),
  status: optionalEnum([...new Set([...RECIPIENT_STATES, ...DESK_STATES])] as [string, ...string[]]),
  priority: optionalEnum(PRIORITIES),
  purpose: optionalEnum(PURPOSES),
  crimeArea: optionalEnum(CRIME_AREAS),
  country: z.string().trim().max(60).default(''),
  from: optionalDate,
  to: optionalDate,
  cursor: z
    .string()
    .regex(/^\d{1,13}_[a-f0-9:]{24,80}$/)
    .optional(),
});
export type ListQuery = z.output<typeof listQuery>;

