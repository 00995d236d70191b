import { Lifecycle } from '../../workflow/lifecycle.js';
import { STATUS_LABELS, type NoticeStatus } from './notice.schema.js';

/**
 * Where a notice or diffusion request can go: written at its author's desk, handed up (a unit's to
 * its ILO, who forwards it to the CBI; an ILO's or the CBI's own straight to the CBI), returned or
 * rejected at either review; a notice then goes to the General Secretariat, which publishes it,
 * refuses it or asks for more (back to the author, who answers by submitting again); a published
 * notice may be extended, suspended, withdrawn or cancelled. A diffusion is circulated by the CBI
 * itself, and may be withdrawn.
 */
export const noticeLifecycle = new Lifecycle<
  NoticeStatus,
  | 'edit'
  | 'submit-to-ilo'
  | 'submit-to-cbi'
  | 'forward'
  | 'return'
  | 'reject'
  | 'send-to-gs'
  | 'circulate'
  | 'publish'
  | 'refuse'
  | 'ask'
  | 'extend'
  | 'suspend'
  | 'withdraw'
  | 'cancel'
>(
  'notice request',
  {
    edit: { from: ['draft', 'information-requested'], to: 'draft' },
    'submit-to-ilo': { from: ['draft', 'information-requested'], to: 'at-ilo' },
    'submit-to-cbi': { from: ['draft', 'information-requested'], to: 'at-cbi' },
    forward: { from: ['at-ilo'], to: 'at-cbi' },
    return: { from: ['at-ilo', 'at-cbi'], to: 'draft' },
    reject: { from: ['at-ilo', 'at-cbi'], to: 'rejected' },
    'send-to-gs': { from: ['at-cbi'], to: 'at-gs' },
    circulate: { from: ['at-cbi'], to: 'circulated' },
    publish: { from: ['at-gs'], to: 'published' },
    refuse: { from: ['at-gs'], to: 'refused' },
    ask: { from: ['at-gs'], to: 'information-requested' },
    extend: { from: ['published'], to: 'published' },
    suspend: { from: ['published'], to: 'suspended' },
    withdraw: { from: ['published', 'suspended', 'circulated'], to: 'withdrawn' },
    cancel: { from: ['published', 'suspended'], to: 'cancelled' },
  },
  STATUS_LABELS,
);
