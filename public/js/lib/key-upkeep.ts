import { GroupKeyring } from '../../../server/crypto/group-keyring.js';
import { api } from './api.js';
import { fetchPublicKey, keyringApi, unlockMyKey } from './keys.js';

/** When this session last looked after its groups' keys (shared by the session's tabs). */
const CHECKED_AT = 'bp.groupKeysCheckedAt';
/** Pages opened within this of the last look do not look again (a share request always does). */
const INTERVAL_MS = 60_000;

/** The look in progress, and whether another must follow it (a share asked for meanwhile). */
let running: Promise<void> | undefined;
let again = false;

/**
 * Keeps the key of every group the officer belongs to ready, from whatever page is open: makes a
 * group's first key when none of its members has yet (so the CBI can send to an agency whose ILO
 * only ever opened Connect), and shares envelopes with members who lack them (a newcomer, a
 * colleague with a new key). In the background, at most once a minute for the session unless
 * `now` (the server asked for a share); silent when this session does not hold the key.
 */
export function keepGroupKeysReady(accountId: string, options: { now?: boolean } = {}): Promise<void> {
  if (!accountId) return Promise.resolve();
  if (!options.now && Date.now() - Number(localStorage.getItem(CHECKED_AT) ?? 0) < INTERVAL_MS) return Promise.resolve();
  if (running) {
    // What the running look read may predate the request: look once more after it.
    again ||= Boolean(options.now);
    return running;
  }
  running = lookAfterKeys(accountId).finally(() => {
    running = undefined;
    if (again) {
      again = false;
      void keepGroupKeysReady(accountId, { now: true });
    }
  });
  return running;
}

async function lookAfterKeys(accountId: string): Promise<void> {
  localStorage.setItem(CHECKED_AT, String(Date.now()));
  const { groups, keyed } = await api<{ groups: string[]; keyed: boolean }>('GET', '/api/me/groups');
  // Trainers and auditors belong to no group; an officer without a key has nothing to seal with.
  if (groups.length === 0 || !keyed) return;
  const unlocked = await unlockMyKey().catch(() => undefined);
  if (!unlocked) return;
  const keyring = new GroupKeyring(keyringApi, { accountId, privateKey: unlocked.privateKey }, fetchPublicKey);
  for (const group of groups) {
    // A group whose key this officer does not hold yet waits for a colleague to share it.
    await keyring.keys(group, { refresh: true }).catch(() => undefined);
  }
}
