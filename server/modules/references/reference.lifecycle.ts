import { Lifecycle } from '../../workflow/lifecycle.js';
import { STATUS_LABELS, type ReferenceStatus } from './reference.schema.js';

/**
 * Where an outgoing reference can go: written at its author's desk (a unit, an agency's ILOs, the
 * CBI), handed up for review (a unit's to its ILO, which forwards it to the CBI; an ILO's or the
 * CBI's own straight to the CBI), returned to its author or rejected at either review,
 * transmitted abroad, answered country by country, then closed by its author's desk or sent
 * abroad again as a follow-up.
 */
export const referenceLifecycle = new Lifecycle<
  ReferenceStatus,
  'edit' | 'submit-to-ilo' | 'submit-to-cbi' | 'forward' | 'return' | 'reject' | 'transmit' | 'reply' | 'close' | 'follow-up'
>(
  'reference',
  {
    edit: { from: ['draft'], to: 'draft' },
    'submit-to-ilo': { from: ['draft'], to: 'at-ilo' },
    'submit-to-cbi': { from: ['draft'], to: 'at-cbi' },
    forward: { from: ['at-ilo'], to: 'at-cbi' },
    return: { from: ['at-ilo', 'at-cbi'], to: 'draft' },
    reject: { from: ['at-ilo', 'at-cbi'], to: 'rejected' },
    transmit: { from: ['at-cbi'], to: 'abroad' },
    // Abroad until every country has answered (then answered: back with its author).
    reply: { from: ['abroad'], to: 'abroad' },
    close: { from: ['abroad', 'answered'], to: 'closed' },
    'follow-up': { from: ['abroad', 'answered'], to: 'at-cbi' },
  },
  STATUS_LABELS,
);

/**
 * Where an incoming reference can go. The one registered at the CBI is forwarded to agencies
 * (again, to more of them, while open), and replied to abroad (an interim reply keeps it open);
 * each agency's part goes from its ILO to a unit and back with the unit's report, or straight
 * up with the ILO's own, to the CBI, and is closed with the final reply abroad.
 */
export const incomingLifecycle = new Lifecycle<
  ReferenceStatus,
  'forward-agencies' | 'reply-abroad' | 'foreign-reminder' | 'assign' | 'unit-report' | 'ilo-report' | 'approve' | 'close-part'
>(
  'reference',
  {
    'forward-agencies': { from: ['registered', 'forwarded'], to: 'forwarded' },
    'reply-abroad': { from: ['forwarded'], to: 'replied' },
    'foreign-reminder': { from: ['registered', 'forwarded'], to: 'forwarded' },
    assign: { from: ['at-ilo'], to: 'at-unit' },
    'unit-report': { from: ['at-unit'], to: 'at-ilo' },
    'ilo-report': { from: ['at-ilo'], to: 'at-cbi' },
    approve: { from: ['at-ilo'], to: 'at-cbi' },
    'close-part': { from: ['at-ilo', 'at-unit', 'at-cbi'], to: 'closed' },
  },
  STATUS_LABELS,
);
