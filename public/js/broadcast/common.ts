import { BroadcastClient } from '../../../server/crypto/broadcast-client.js';
import { openRequestSession, type RequestSession } from '../lib/request-session.js';

export { localTime, uploadFiles } from '../lib/request-session.js';

/** The officer's unlocked key and the broadcast steps built on it, for one page. */
export type BroadcastSession = RequestSession<BroadcastClient>;

/** Unlocks the officer's key (asking for the password in a new tab) and prepares the broadcast client. */
export function openBroadcastSession(root: HTMLElement): Promise<BroadcastSession> {
  return openRequestSession(root, BroadcastClient);
}
