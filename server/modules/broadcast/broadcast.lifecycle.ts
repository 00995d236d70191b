import { Lifecycle } from '../../workflow/lifecycle.js';
import type { BroadcastStatus } from './broadcast.schema.js';

/**
 * Where a broadcast can go: drafted and edited at the desk, handed to a second officer when its
 * priority calls for review (who approves, so sends, or returns it), sent, then answered to the
 * foreign NCB and closed.
 */
export const broadcastLifecycle = new Lifecycle<BroadcastStatus, 'edit' | 'submit' | 'return' | 'approve' | 'send' | 'answer' | 'close'>(
  'broadcast',
  {
    edit: { from: ['draft'], to: 'draft' },
    submit: { from: ['draft'], to: 'in-review' },
    return: { from: ['in-review'], to: 'draft' },
    approve: { from: ['in-review'], to: 'sent' },
    send: { from: ['draft'], to: 'sent' },
    answer: { from: ['sent', 'answered'], to: 'answered' },
    close: { from: ['sent', 'answered'], to: 'closed' },
  },
  { draft: 'a draft', 'in-review': 'in review', sent: 'sent', answered: 'answered', closed: 'closed' },
);
