/** What a notice or diffusion request is made of, as the API takes it, and the words for its states. */
import { z } from 'zod';
import { NOTICE_KINDS, NOTICE_ONLY, REQUEST_TYPES } from '../../shared/notices/kinds.js';
import { TERM_ARTICLES } from '../../shared/notices/terms.js';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITIES } from '../../shared/vocabulary/priorities.js';
import { openingInput } from '../../workflow/openings.js';
import { attachmentIds, interpolReference, sealedInput, signedInput, transmissionMedium } from '../../workflow/request-inputs.js';

/**
 * Where a request is: being written at its author's desk (or back there with INTERPOL's question),
 * with the agency's ILO, with the CBI, with the General Secretariat; then published (and later
 * suspended, withdrawn or cancelled), refused, or rejected at a review. A diffusion skips the
 * General Secretariat: the CBI circulates it.
 */
export const STATUSES = [
  'draft',
  'information-requested',
  'at-ilo',
  'at-cbi',
  'at-gs',
  'published',
  'circulated',
  'suspended',
  'refused',
  'rejected',
  'withdrawn',
  'cancelled',
] as const;
export type NoticeStatus = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<NoticeStatus, string> = {
  draft: 'a draft',
  'information-requested': 'back with its author',
  'at-ilo': 'with the ILO',
  'at-cbi': 'with the CBI',
  'at-gs': 'with the General Secretariat',
  published: 'published',
  circulated: 'circulated',
  suspended: 'suspended',
  refused: 'refused',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
  cancelled: 'cancelled',
};
/** States after which nothing more is expected of anyone. */
export const SETTLED: readonly NoticeStatus[] = ['refused', 'rejected', 'withdrawn', 'cancelled'];

/** The desks a request passes; each has its own clock ('gs' is the General Secretariat's). */
export const DESKS = ['unit', 'ilo', 'cbi', 'gs'] as const;
export type Desk = (typeof DESKS)[number];

const countries = z
  .array(z.string().trim().min(2).max(60))
  .max(60)
  .default([])
  .refine((names) => new Set(names.map((name) => name.toLowerCase())).size === names.length, 'A country is named twice.');

/**
 * A draft: plain metadata for routing, queues and statistics; every particular of the subject and
 * the facts sealed for the author's desk (photographs and scans as sealed attachments).
 */
export const draftSchema = z
  .object({
    kind: z.enum(NOTICE_KINDS, { error: 'Choose the kind of notice.' }),
    type: z.enum(REQUEST_TYPES).default('notice'),
    crimeArea: z.enum(CRIME_AREAS, { error: 'Choose a crime area.' }),
    priority: z.enum(PRIORITIES, { error: 'Choose the urgency.' }),
    deadline: z.coerce.date().optional(),
    /** A diffusion's countries, as asked for (the CBI records those it was sent to). */
    countries,
    body: sealedInput,
    attachments: attachmentIds,
  })
  .superRefine((draft, issues) => {
    if (draft.type === 'diffusion' && NOTICE_ONLY.has(draft.kind)) issues.addIssue({ code: 'custom', path: ['type'], message: 'This kind is a notice only.' });
    if (draft.type === 'diffusion' && draft.countries.length === 0) issues.addIssue({ code: 'custom', path: ['countries'], message: 'Name the countries the diffusion is for.' });
  });
export type DraftInput = z.output<typeof draftSchema>;

/** A finding of the pre-submission check, as it travels with the request. */
const findingInput = z.object({
  code: z.string().trim().regex(/^[a-z0-9-]{2,30}$/),
  field: z.string().trim().max(100).default(''),
  message: z.string().trim().min(1).max(300),
});
export type FindingInput = z.output<typeof findingInput>;

/** The check's result as the author's browser found it: no errors (else no submission), its warnings, and the term list it used. */
export const checkInput = z.object({
  warnings: z.array(findingInput).max(60).default([]),
  termsRevision: z.number().int().min(0),
});
export type CheckInput = z.output<typeof checkInput>;

const comment = z.string().trim().max(1000).default('');
const reason = (missing: string) => z.string().trim().min(3, missing).max(1000);
/** A reviewer's written acknowledgement of the check's warnings (required when there are any). */
const acknowledgement = z.string().trim().max(1000).default('');

/** Each decision's own facts (what its statement says besides the request and the officer). */
const decisions = {
  submit: z.object({ decision: z.literal('submit'), comment, check: checkInput.optional() }),
  forward: z.object({ decision: z.literal('forward'), comment, acknowledgement }),
  return: z.object({ decision: z.literal('return'), comment: reason('Say what needs correcting.') }),
  reject: z.object({ decision: z.literal('reject'), comment: reason('Say why it is rejected.') }),
  'send-to-gs': z.object({ decision: z.literal('send-to-gs'), comment, acknowledgement, reference: interpolReference('Enter the reference it was sent under.'), medium: transmissionMedium }),
  circulate: z.object({ decision: z.literal('circulate'), comment, acknowledgement, countries: countries.refine((names) => names.length > 0, 'Name the countries it was sent to.') }),
  publish: z.object({ decision: z.literal('publish'), comment, noticeNumber: z.string().trim().regex(/^[A-Z]-\d{1,6}\/\d{1,2}-\d{4}$/, 'Write the notice number as INTERPOL gives it, such as A-1234/5-2026.') }),
  refuse: z.object({ decision: z.literal('refuse'), comment: reason('Give the General Secretariat’s reason.') }),
  ask: z.object({ decision: z.literal('ask'), comment: reason('Write the General Secretariat’s question.') }),
  extend: z.object({ decision: z.literal('extend'), comment: reason('Say why it is extended.'), until: z.iso.date('Give the new expiry date.') }),
  suspend: z.object({ decision: z.literal('suspend'), comment: reason('Say why it is suspended.') }),
  withdraw: z.object({ decision: z.literal('withdraw'), comment: reason('Say why it is withdrawn.') }),
  cancel: z.object({ decision: z.literal('cancel'), comment: reason('Say why it is cancelled.') }),
};
export type Decision = keyof typeof decisions;
export const DECISIONS = Object.keys(decisions) as Decision[];

/** A decision as it is asked to be signed: its facts and when it is signed. */
export const statementSchema = z.discriminatedUnion('decision', Object.values(decisions).map((schema) => schema.extend({ signedAt: z.coerce.date() })) as never) as z.ZodType<
  { [D in Decision]: z.output<(typeof decisions)[D]> & { signedAt: Date } }[Decision]
>;
export type StatementInput = z.output<typeof statementSchema>;

/**
 * A decision at a desk, signed over the statement the server rebuilds from it; handing a request
 * up also opens it for the next desk (the CBI's own is sealed for the desk already).
 */
const openings = { submit: { opening: openingInput.optional() }, forward: { opening: openingInput } } as const;
type Opened<D extends Decision> = D extends keyof typeof openings ? z.output<z.ZodObject<(typeof openings)[D]>> : unknown;
export const decisionSchema = z.discriminatedUnion(
  'decision',
  Object.entries(decisions).map(([name, schema]) => schema.extend({ ...signedInput.shape, ...(openings[name as keyof typeof openings] ?? {}) })) as never,
) as z.ZodType<{ [D in Decision]: z.output<(typeof decisions)[D]> & z.output<typeof signedInput> & Opened<D> }[Decision]>;
export type DecisionInput = z.output<typeof decisionSchema>;

/** The CBI's settings of the module: the check's term list and the training a submitter must hold. */
export const settingsSchema = z.object({
  terms: z
    .array(z.object({ term: z.string().trim().min(2).max(80), article: z.enum(TERM_ARTICLES), note: z.string().trim().max(160).default('') }))
    .max(500),
  /** The course (a training course code) whose valid certificate a submitter must hold; empty: no requirement. */
  requiredCourse: z.string().trim().max(40).regex(/^[A-Za-z0-9-]*$/, 'Use letters, digits and hyphens.').default(''),
  /** How long a certificate stays valid, in months. */
  validityMonths: z.coerce.number().int().min(1).max(120).default(24),
});
export type SettingsInput = z.output<typeof settingsSchema>;
