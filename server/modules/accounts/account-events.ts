import { EventEmitter } from 'node:events';
import { forgetActiveAccounts } from './account-index.js';

/** What happened to an account that changes who belongs where (channels, groups, desks). */
export interface AccountChanged {
  readonly accountId: string;
  /** For example `activated`, `locked`, `disable`, `re-enrol`: for listeners that care which. */
  readonly change: string;
}

const events = new EventEmitter();

/**
 * Listens for account changes in this process (other processes learn of them through the account
 * index's shared revision). Modules above accounts subscribe here (Connect drops its cached
 * member lists) instead of being called by the module that changed the account. Returns the
 * unsubscribe function.
 */
export function onAccountChanged(listener: (event: AccountChanged) => void): () => void {
  events.on('changed', listener);
  return () => events.off('changed', listener);
}

/**
 * Announces a change to an account's status, role, agency or unit: the account index is read
 * again (here at once, in other processes within seconds), then the listeners are told.
 */
export async function accountChanged(event: AccountChanged): Promise<void> {
  await forgetActiveAccounts();
  events.emit('changed', event);
}
