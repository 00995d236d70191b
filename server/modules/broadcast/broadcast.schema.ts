import { z } from 'zod';
import { base64Input } from '../../sealed/groups/groups.schema.js';
import { objectIdInput, optionalDate, optionalEnum } from '../../validation.js';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITIES } from '../../shared/vocabulary/priorities.js';
import { PURPOSES } from '../../shared/vocabulary/purposes.js';
import { openingInput } from '../../workflow/openings.js';
import {
  attachmentIds,
  gradingInput,
  handlingInput,
  interpolReference,
  sealedInput,
  signedInput,
  transmissionMedium,
  type SignedInput,
} from '../../workflow/request-inputs.js';


/** What a foreign NCB sent: a request for assistance, criminal intelligence, or an alert. */
export const KINDS = ['request-for-assistance', 'criminal-intelligence', 'alert'] as const;
export type BroadcastKind = (typeof KINDS)[number];
export const KIND_LABELS: Record<BroadcastKind, string> = {
  'request-for-assistance': 'Request for assistance',
  'criminal-intelligence': 'Criminal intelligence',
  alert: 'Alert',
};

/** Who a broadcast goes to: every agency, the states and union territories, the central agencies, or a list. */
export const ADDRESSEE_MODES = ['all', 'states', 'central', 'list'] as const;
export type AddresseeMode = (typeof ADDRESSEE_MODES)[number];

export const STATUSES = ['draft', 'in-review', 'sent', 'answered', 'closed'] as const;
export type BroadcastStatus = (typeof STATUSES)[number];

/** The plain metadata the server routes and counts on, and the sealed body and attachments. */
export const composeSchema = z
  .object({
    country: z.string().trim().min(2, 'Name the originating country.').max(60),
    foreignNcb: z.string().trim().min(2, 'Name the foreign NCB, such as NCB Bangkok.').max(80),
    reference: interpolReference('Enter the INTERPOL reference number.'),
    kind: z.enum(KINDS, { error: 'Choose what kind of message this is.' }),
    purpose: z.enum(PURPOSES, { error: 'Choose for action or for information.' }),
    crimeArea: z.enum(CRIME_AREAS, { error: 'Choose a crime area.' }),
    priority: z.enum(PRIORITIES, { error: 'Choose a priority.' }),
    /** Unset: the priority's default, counted from sending. */
    deadline: z.coerce.date().optional(),
    handling: handlingInput,
    grading: gradingInput,
    addressees: z.object({
      mode: z.enum(ADDRESSEE_MODES, { error: 'Choose who receives it.' }),
      agencies: z.array(objectIdInput).max(200).default([]),
    }),
    /** Sealed for the CBI desk (`ncb-desk`); opened for agencies when sent. */
    body: sealedInput,
    attachments: attachmentIds,
  })
  .superRefine((input, issues) => {
    if (input.addressees.mode === 'list' && input.addressees.agencies.length === 0) {
      issues.addIssue({ code: 'custom', path: ['addressees', 'agencies'], message: 'Choose at least one agency.' });
    }
  });
export type ComposeInput = z.output<typeof composeSchema>;

/** Sending: the body and attachments opened for every addressed agency's ILOs. */
export const sendSchema = z.object({
  openings: z.record(z.string().regex(/^[a-f0-9]{24}$/), openingInput),
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
export const acknowledgeSchema = signedInput;
export type AcknowledgeInput = SignedInput;

export const statementQuery = z.object({ signedAt: z.coerce.date() });

/** Dissemination: instructions sealed for the agency's ILOs and opened for each chosen unit. */
export const disseminateSchema = z.object({
  instructions: sealedInput,
  deadline: z.coerce.date().optional(),
  units: z
    .record(
      z.string().regex(/^[a-f0-9]{24}$/),
      openingInput.extend({ instructions: base64Input(8_192) }),
    )
    .refine((units) => Object.keys(units).length > 0, 'Choose at least one unit.')
    .refine((units) => Object.keys(units).length <= 1000, 'At most 1,000 units at once.'),
});
export type DisseminateInput = z.output<typeof disseminateSchema>;

/** An action-taken report (UO) or an agency response (ILO): sealed for the writer's group, opened for the one above. */
export const answerSchema = z.object({
  body: sealedInput,
  attachments: attachmentIds,
  upward: openingInput,
});
export type AnswerInput = z.output<typeof answerSchema>;

export const closeSchema = z.object({ status: z.enum(['answered', 'closed']) });

export const transmissionSchema = z.object({
  reference: z.string().trim().min(3, 'Enter the reference of the reply.').max(60),
  medium: transmissionMedium,
  note: z.string().trim().max(500).default(''),
});
export type TransmissionInput = z.output<typeof transmissionSchema>;

export const deliveredSchema = z.object({ ids: z.array(objectIdInput).min(1).max(100) });

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

